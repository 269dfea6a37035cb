#include "agent/cli/demo_logs.h"

#include <cstdio>

namespace negoheal::cli {
namespace {

// One FreeRDP 2.x line.
std::string w2(int sec, int ms, const char* thread, const char* level, const char* logger, const std::string& msg) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "[09:%02d:%02d:%03d] ", sec / 60, sec % 60, ms);
  return std::string(buf) + "[" + thread + "] [" + level + "][" + logger + "] - " + msg + "\n";
}

void attempt_start(std::string& out, int sec, const char* thread, const std::string& host) {
  out += w2(sec, 100, thread, "DEBUG", "com.freerdp.core.nego", "Enabling RDP security: FALSE");
  out += w2(sec, 101, thread, "DEBUG", "com.freerdp.core.nego", "Enabling TLS security: TRUE");
  out += w2(sec, 101, thread, "DEBUG", "com.freerdp.core.nego", "Enabling NLA security: TRUE");
  out += w2(sec, 102, thread, "DEBUG", "com.freerdp.core", "connecting to peer " + host);
  out += w2(sec, 102, thread, "DEBUG", "com.freerdp.core.nego", "RequestedProtocols: 3");
}

void windows_style_failure(std::string& out, int sec, const char* thread) {
  out += w2(sec, 310, thread, "DEBUG", "com.freerdp.core.nego", "RDP_NEG_FAILURE");
  out += w2(sec, 311, thread, "WARN", "com.freerdp.core.nego", "Error: SSL_NOT_ALLOWED_BY_SERVER");
  out += w2(sec, 312, thread, "DEBUG", "com.freerdp.core.nego", "RequestedProtocols: 1");
  out += w2(sec, 420, thread, "WARN", "com.freerdp.core.nego", "Error: SSL_NOT_ALLOWED_BY_SERVER");
  out += w2(sec, 421, thread, "ERROR", "com.freerdp.core.nego", "Protocol Security Negotiation Failure");
  out += w2(sec, 421, thread, "ERROR", "com.freerdp.core",
            "rdp_client_connect:freerdp_set_last_error_ex ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]");
  out += w2(sec, 421, thread, "ERROR", "com.freerdp.core.connection",
            "Error: protocol security negotiation or connection failure");
}

void success(std::string& out, int sec, const char* thread) {
  out += w2(sec, 500, thread, "DEBUG", "com.freerdp.core.nego", "RDP_NEG_RSP");
  out += w2(sec, 500, thread, "DEBUG", "com.freerdp.core.nego", "selected_protocol: 2");
  out += w2(sec, 501, thread, "INFO", "com.freerdp.core.connection", "Negotiated Security: NLA:1 TLS:0 RDP:0");
  out += w2(sec, 900, thread, "ERROR", "com.freerdp.core", "Authentication only, exit status 0");
  out += w2(sec, 901, thread, "ERROR", "com.freerdp.core",
            "freerdp_abort_connect:freerdp_set_last_error_ex ERRCONNECT_CONNECT_CANCELLED [0x0002000B]");
}

}  // namespace

std::vector<DemoFile> demo_logs(const std::string& date) {
  std::vector<DemoFile> files;

  // FreeRDP 2.x at DEBUG, one proxy process, interleaved worker threads; thread 4243 is reused.
  std::string a;
  attempt_start(a, 1, "4242:4243", "srv-legacy01.corp.example");
  attempt_start(a, 1, "4242:4244", "srv-app02.corp.example");
  windows_style_failure(a, 2, "4242:4243");
  success(a, 2, "4242:4244");
  attempt_start(a, 70, "4242:4243", "srv-app02.corp.example");  // reused thread, new target
  success(a, 70, "4242:4243");
  attempt_start(a, 130, "4242:4245", "10.20.30.40");
  // An xrdp-style RDP-only target: it "selects" RDP although the client did not offer it.
  a += w2(130, 300, "4242:4245", "DEBUG", "com.freerdp.core.nego", "RDP_NEG_RSP");
  a += w2(130, 300, "4242:4245", "DEBUG", "com.freerdp.core.nego", "selected_protocol: 0");
  a += w2(130, 301, "4242:4245", "ERROR", "com.freerdp.core.nego", "Protocol Security Negotiation Failure");
  a += w2(130, 301, "4242:4245", "ERROR", "com.freerdp.core",
          "rdp_client_connect:freerdp_set_last_error_ex ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]");
  attempt_start(a, 190, "4242:4243", "srv-legacy01.corp.example");
  windows_style_failure(a, 191, "4242:4243");
  // A client that logs at INFO only: no "connecting to peer", so nobody can say which target.
  a += w2(250, 10, "5151:5152", "INFO", "com.freerdp.client.x11", "Authentication only. Don't connect to X.");
  a += w2(250, 720, "5151:5152", "ERROR", "com.freerdp.core.nego", "Protocol Security Negotiation Failure");
  a += w2(250, 720, "5151:5152", "ERROR", "com.freerdp.core",
          "rdp_client_connect:freerdp_set_last_error_ex ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]");
  a += w2(260, 5, "4242:4246", "ERROR", "com.freerdp.core",
          "rdp_set_error_info:freerdp_set_last_error_ex ERRINFO_LOGOFF_BY_USER [0x0001000C]");
  files.push_back({"PAM-Proxy-" + date + ".log", a});

  // FreeRDP 3.x on Windows: [function] in the message, 8-digit hex thread ids, CRLF.
  std::string b =
      "[09:06:01:100] [10820:00001028] [DEBUG][com.freerdp.core] - [freerdp_tcp_connect]: connecting to peer "
      "srv-legacy01.corp.example\r\n"
      "[09:06:01:101] [10820:00001028] [DEBUG][com.freerdp.core.nego] - [nego_send_negotiation_request]: "
      "RequestedProtocols: 3\r\n"
      "[09:06:01:240] [10820:00001028] [WARN][com.freerdp.core.nego] - [nego_process_negotiation_failure]: Error: "
      "SSL_NOT_ALLOWED_BY_SERVER [0x00000002]\r\n"
      "[09:06:01:241] [10820:00001028] [ERROR][com.freerdp.core.nego] - [nego_connect]: Protocol Security "
      "Negotiation Failure\r\n"
      "[09:06:01:241] [10820:00001028] [ERROR][com.freerdp.core] - [rdp_client_connect]: "
      "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]\r\n";
  files.push_back({"PAM-Proxy-" + date + "-win.log", b});

  // The NPS service's own log (Serilog-like): the target is named in the line.
  std::string c =
      date + " 09:07:12.345 +00:00 [INF] Session 7f3a started user=CORP\\alice target=srv-app02.corp.example:3389\n" +
      date +
      " 09:08:30.001 +00:00 [ERR] Session 9c1d user=CORP\\bob target=srv-hr03.corp.example:3389 "
      "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED: The connection failed at negotiating security settings\n" +
      date +
      " 09:08:30.002 +00:00 [ERR] Session 9c1d Failed to connect to target server "
      "srv-hr03.corp.example:3389 (0x0002000C)\n";
  files.push_back({"PAM-Proxy-" + date + "-service.log", c});
  return files;
}

}  // namespace negoheal::cli
