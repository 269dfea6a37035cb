<#
.SYNOPSIS
    Reads or fixes the RDP security settings of one Windows target, so that the Netwrix Privilege
    Secure RDP proxy stops failing with ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED.

.DESCRIPTION
    negoheal runs this as remediation.target_command, e.g.
        pwsh -NoProfile -File Set-RdpSecurity.ps1 -ComputerName rds01.corp.example -Fix target-secure
    and an administrator can run it by hand the same way (-Mode Read changes nothing).

    REQUIREMENTS
      - WinRM / PowerShell remoting enabled on the target (Enable-PSRemoting; TCP 5985, or 5986 for
        HTTPS, reachable from the host running this script).
      - The account running this script (or -Credential) has local administrator rights on the
        target: the values live under HKLM.
      - Windows PowerShell 5.1 or PowerShell 7 (pwsh) here; PowerShell 5.1 or later on the target.
      - An IP address as -ComputerName needs -Credential and either HTTPS or the address in this
        host's WinRM TrustedHosts (Kerberos does not work with IP addresses).

    WHAT IT CHANGES (only with -Mode Apply, only on the target), under
    HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp:
      target-tls     SecurityLayer = 2 (TLS)
      target-nla     UserAuthentication = 1 (Network Level Authentication on)
      target-secure  both: the end state the Netwrix KB (kA04u0000000HRlCAM) recommends
    Values that already have the wanted effect are not written. Nothing else is touched: not Group
    Policy, not MinEncryptionLevel, and TermService is not restarted (new connections use the new
    values; negoheal re-probes the target afterwards).

    It refuses, before changing anything (so target-secure is never applied by halves):
      - when Group Policy (HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services) sets a
        value the fix needs to change: a local edit would not stick;
      - when the fix needs SecurityLayer 2 and the effective MinEncryptionLevel is 1 (Low), a
        combination Windows rejects.

    OUTPUT: exactly one JSON object on stdout, with the values before and after, the policy values,
    the names of the values changed, and "result":
      applied | compliant | would-apply (Read) | policy-enforced | min-encryption-low | unreachable | error

    EXIT CODES
      0  applied, or already compliant (Read: compliant or would-apply)
      2  refused: Group Policy enforces a value the fix needs to change
      3  refused: MinEncryptionLevel is 1 (Low) and the fix needs SecurityLayer 2
      4  cannot reach the target over WinRM (down, WinRM off, access denied, TrustedHosts)
      5  any other error (including a value that did not read back as written)

.PARAMETER ComputerName
    The target: a host name or IP address, as negoheal validated it.
.PARAMETER Fix
    target-tls, target-nla or target-secure (default, the KB's recommendation).
.PARAMETER Mode
    Apply (default) or Read (report what Apply would do, change nothing).
.PARAMETER Credential
    Credentials for the target; default: the account running the script.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidateLength(1, 253)]
    [ValidatePattern('^[A-Za-z0-9:][A-Za-z0-9.:-]*$')]
    [string] $ComputerName,

    [ValidateSet('target-tls', 'target-nla', 'target-secure')]
    [string] $Fix = 'target-secure',

    [ValidateSet('Read', 'Apply')]
    [string] $Mode = 'Apply',

    [System.Management.Automation.PSCredential] $Credential
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# Runs on the target. Its inputs arrive only through -ArgumentList; it returns one flat object
# (flat because remoting serializes nested objects only one level deep).
$remote = {
    param([string] $Fix, [bool] $Apply)

    Set-StrictMode -Version 3.0
    $ErrorActionPreference = 'Stop'
    $rdpPath = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
    $policyPath = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
    $names = @('SecurityLayer', 'UserAuthentication', 'MinEncryptionLevel')

    function Get-RdpValues([string] $Path) {
        $values = @{}
        $item = Get-ItemProperty -LiteralPath $Path -ErrorAction SilentlyContinue
        foreach ($name in $names) {
            $values[$name] = $null
            if ($null -ne $item -and $item.PSObject.Properties[$name]) { $values[$name] = [int] $item.$name }
        }
        return $values
    }

    $out = [ordered]@{ Result = 'error'; Message = ''; Changed = [string[]] @() }
    foreach ($name in $names) {
        foreach ($part in @('Before', 'Policy', 'After')) { $out["$part$name"] = $null }
    }
    try {
        if (-not (Test-Path -LiteralPath $rdpPath)) { throw "$rdpPath does not exist (Remote Desktop not installed?)" }
        $before = Get-RdpValues $rdpPath
        $policy = Get-RdpValues $policyPath
        foreach ($name in $names) {
            $out["Before$name"] = $before[$name]
            $out["Policy$name"] = $policy[$name]
            $out["After$name"] = $before[$name]
        }

        $wanted = [ordered]@{}
        if ($Fix -eq 'target-tls' -or $Fix -eq 'target-secure') { $wanted['SecurityLayer'] = 2 }
        if ($Fix -eq 'target-nla' -or $Fix -eq 'target-secure') { $wanted['UserAuthentication'] = 1 }

        # Policy values win over RDP-Tcp at run time. A missing value counts as not compliant: it is
        # written explicitly rather than trusted to a default that differs between Windows versions.
        $effective = @{}
        foreach ($name in $names) {
            $effective[$name] = if ($null -ne $policy[$name]) { $policy[$name] } else { $before[$name] }
        }

        $toChange = @($wanted.Keys | Where-Object { $effective[$_] -ne $wanted[$_] })
        $enforced = @($toChange | Where-Object { $null -ne $policy[$_] })
        if ($toChange.Count -eq 0) {
            $out.Result = 'compliant'
        }
        elseif ($enforced.Count -gt 0) {
            $out.Result = 'policy-enforced'
            $out.Message = 'Group Policy sets ' + ($enforced -join ', ') + '; change the GPO instead'
        }
        elseif ($toChange -contains 'SecurityLayer' -and $effective['MinEncryptionLevel'] -eq 1) {
            $out.Result = 'min-encryption-low'
            $out.Message = 'SecurityLayer 2 is invalid while MinEncryptionLevel is 1 (Low)'
        }
        elseif (-not $Apply) {
            $out.Result = 'would-apply'
            $out.Changed = [string[]] $toChange
        }
        else {
            foreach ($name in $toChange) {
                $null = Set-ItemProperty -LiteralPath $rdpPath -Name $name -Value $wanted[$name] -Type DWord
            }
            $after = Get-RdpValues $rdpPath
            foreach ($name in $names) { $out["After$name"] = $after[$name] }
            $out.Changed = [string[]] $toChange
            $wrong = @($toChange | Where-Object { $after[$_] -ne $wanted[$_] })
            if ($wrong.Count -gt 0) {
                $out.Message = 'read back differs after writing ' + ($wrong -join ', ')
            }
            else {
                $out.Result = 'applied'
            }
        }
    }
    catch {
        $out.Result = 'error'
        $out.Message = $_.Exception.Message
    }
    return [pscustomobject] $out
}

$names = @('SecurityLayer', 'UserAuthentication', 'MinEncryptionLevel')
$report = [ordered]@{
    computer = $ComputerName
    fix      = $Fix
    mode     = $Mode.ToLowerInvariant()
    result   = 'error'
    message  = ''
    before   = $null
    policy   = $null
    after    = $null
    changed  = @()
}
$exitCode = 5

try {
    $credentialParameter = @{}
    if ($null -ne $Credential) { $credentialParameter['Credential'] = $Credential }
    $apply = $Mode -eq 'Apply'
    $r = Invoke-Command -ComputerName $ComputerName -ScriptBlock $remote -ArgumentList $Fix, $apply -ErrorAction Stop @credentialParameter
    $r = @($r)[0]
    if ($null -eq $r) { throw 'the target returned no result' }
    foreach ($part in @('Before', 'Policy', 'After')) {
        $values = [ordered]@{}
        foreach ($name in $names) { $values[$name] = $r."$part$name" }
        $report[$part.ToLowerInvariant()] = $values
    }
    $report.result = [string] $r.Result
    $report.message = [string] $r.Message
    $report.changed = @($r.Changed | Where-Object { $_ })
    $exitCode = switch ($report.result) {
        'applied' { 0 }
        'compliant' { 0 }
        'would-apply' { 0 }
        'policy-enforced' { 2 }
        'min-encryption-low' { 3 }
        default { 5 }
    }
}
catch [System.Management.Automation.Remoting.PSRemotingTransportException] {
    $report.result = 'unreachable'
    $report.message = $_.Exception.Message
    $exitCode = 4
}
catch {
    $report.result = 'error'
    $report.message = $_.Exception.Message
    $exitCode = 5
}

Write-Output ([pscustomobject] $report | ConvertTo-Json -Compress -Depth 4)
exit $exitCode
