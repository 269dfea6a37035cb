#include "agent/probe/classify.h"

#include <gtest/gtest.h>

#include <vector>

namespace negoheal::probe {
namespace {

using x224::AnswerKind;

Attempt answer(std::uint32_t requested, AnswerKind kind, std::uint32_t value) {
  Attempt a;
  a.requested = requested;
  a.answer = {kind, 0, value};
  return a;
}
Attempt rsp(std::uint32_t requested, std::uint32_t selected) {
  return answer(requested, AnswerKind::response, selected);
}
Attempt fail(std::uint32_t requested, std::uint32_t code) {
  return answer(requested, AnswerKind::failure, code);
}
Attempt bare(std::uint32_t requested) {
  return answer(requested, AnswerKind::bare, 0);
}
Attempt none(std::uint32_t requested, Outcome outcome) {
  Attempt a;
  a.requested = requested;
  a.outcome = outcome;
  return a;
}

Posture posture(const std::vector<Attempt>& attempts) {
  return classify(attempts).posture;
}

// DOMAIN §6, row 1, both ways of saying it.
TEST(Classify, RdpOnlyWindowsStyle) {
  const std::vector<Attempt> a{fail(3, 2), fail(1, 2), rsp(0, 0)};
  EXPECT_EQ(posture(a), Posture::rdp_only);
  EXPECT_TRUE(classify(a).note.empty());
  EXPECT_TRUE(explains_nego_failure(Posture::rdp_only));
}

TEST(Classify, RdpOnlyXrdpStyleSelectsUnofferedRdp) {
  EXPECT_EQ(posture({rsp(3, 0), rsp(1, 0), rsp(0, 0)}), Posture::rdp_only);
  EXPECT_EQ(posture({fail(3, 2), rsp(1, 0), rsp(0, 0)}), Posture::rdp_only);
}

TEST(Classify, RdpOnlyNeedsTheSslRetryRefusedToo) {
  // FreeRDP retries with SSL alone; a server that accepts it does not cause the failure.
  const std::vector<Attempt> a{fail(3, 2), rsp(1, 1), fail(0, 1)};
  EXPECT_NE(posture(a), Posture::rdp_only);
  EXPECT_FALSE(classify(a).note.empty());
}

TEST(Classify, NlaRequired) {
  EXPECT_EQ(posture({rsp(3, 2), fail(1, 5), fail(0, 5)}), Posture::nla_required);
  EXPECT_EQ(posture({rsp(3, 8), fail(1, 5)}), Posture::nla_required);
  EXPECT_FALSE(explains_nego_failure(Posture::nla_required));
}

TEST(Classify, TlsRequired) {
  EXPECT_EQ(posture({rsp(3, 1), rsp(1, 1), fail(0, 1)}), Posture::tls_required);
  EXPECT_FALSE(explains_nego_failure(Posture::tls_required));
}

TEST(Classify, Negotiate) {
  EXPECT_EQ(posture({rsp(3, 1), rsp(1, 1), rsp(0, 0)}), Posture::negotiate);
  EXPECT_EQ(posture({rsp(3, 2), rsp(1, 1), rsp(0, 0)}), Posture::negotiate);
  EXPECT_FALSE(explains_nego_failure(Posture::negotiate));
}

TEST(Classify, CertificateProblem) {
  EXPECT_EQ(posture({fail(3, 3), fail(1, 3)}), Posture::cert_problem);
  EXPECT_EQ(posture({fail(3, 3), fail(1, 3), rsp(0, 0)}), Posture::cert_problem);
  EXPECT_EQ(posture({fail(3, 3), fail(1, 3), fail(0, 1)}), Posture::cert_problem);
  EXPECT_FALSE(explains_nego_failure(Posture::cert_problem));
}

TEST(Classify, Legacy) {
  EXPECT_EQ(posture({bare(3)}), Posture::legacy);
  EXPECT_EQ(posture({bare(3), bare(1), bare(0)}), Posture::legacy);
  EXPECT_TRUE(explains_nego_failure(Posture::legacy));
}

TEST(Classify, NoConnectionIsUnreachable) {
  EXPECT_EQ(posture({none(3, Outcome::refused)}), Posture::unreachable);
  EXPECT_EQ(posture({none(3, Outcome::connect_timeout)}), Posture::unreachable);
  EXPECT_EQ(posture({}), Posture::unreachable);
  EXPECT_FALSE(explains_nego_failure(Posture::unreachable));
}

TEST(Classify, NoValidConfirmIsNotRdp) {
  for (const auto o : {Outcome::timeout, Outcome::closed, Outcome::reset, Outcome::invalid}) {
    EXPECT_EQ(posture({none(3, o)}), Posture::not_rdp) << outcome_name(o);
  }
  EXPECT_FALSE(explains_nego_failure(Posture::not_rdp));
}

TEST(Classify, LaterSilenceIsReportedWithANote) {
  const std::vector<Attempt> a{rsp(3, 1), rsp(1, 1), none(0, Outcome::timeout)};
  EXPECT_EQ(posture(a), Posture::not_rdp);
  EXPECT_FALSE(classify(a).note.empty());
  EXPECT_EQ(posture({rsp(3, 1), none(1, Outcome::refused)}), Posture::unreachable);
  EXPECT_EQ(posture({fail(3, 2), none(1, Outcome::reset)}), Posture::not_rdp);
}

TEST(Classify, UnmatchedAnswersNeverClaimTheSeedsFailure) {
  const std::vector<std::vector<Attempt>> odd{
      {fail(3, 1), fail(1, 1), fail(0, 1)}, {fail(3, 4), fail(1, 4), fail(0, 4)}, {fail(3, 99)},
      {rsp(3, 1), fail(1, 2), rsp(0, 0)},   {rsp(3, 4), rsp(1, 4), rsp(0, 4)},
  };
  for (const auto& a : odd) {
    const auto c = classify(a);
    EXPECT_FALSE(explains_nego_failure(c.posture)) << posture_name(c.posture);
    EXPECT_FALSE(c.note.empty());
  }
}

TEST(NextRequest, AsksBothThenSslThenRdp) {
  std::vector<Attempt> done;
  EXPECT_EQ(next_request(done), 3U);
  done.push_back(fail(3, 2));
  EXPECT_EQ(next_request(done), 1U);
  done.push_back(fail(1, 2));
  EXPECT_EQ(next_request(done), 0U);  // rdp-only still gets the confirming RDP request
  done.push_back(rsp(0, 0));
  EXPECT_EQ(next_request(done), std::nullopt);
}

TEST(NextRequest, StopsOnceDecided) {
  EXPECT_EQ(next_request(std::vector<Attempt>{none(3, Outcome::refused)}), std::nullopt);
  EXPECT_EQ(next_request(std::vector<Attempt>{none(3, Outcome::invalid)}), std::nullopt);
  EXPECT_EQ(next_request(std::vector<Attempt>{bare(3)}), std::nullopt);
  EXPECT_EQ(next_request(std::vector<Attempt>{rsp(3, 2), fail(1, 5)}), std::nullopt);
  EXPECT_EQ(next_request(std::vector<Attempt>{fail(3, 3), fail(1, 3)}), std::nullopt);
  EXPECT_EQ(next_request(std::vector<Attempt>{rsp(3, 1), none(1, Outcome::timeout)}), std::nullopt);
  EXPECT_EQ(next_request(std::vector<Attempt>{rsp(3, 1), rsp(1, 1)}), 0U);
}

TEST(Names, PostureNamesMatchTheContract) {
  EXPECT_EQ(posture_name(Posture::rdp_only), "rdp-only");
  EXPECT_EQ(posture_name(Posture::negotiate), "negotiate");
  EXPECT_EQ(posture_name(Posture::tls_required), "tls-required");
  EXPECT_EQ(posture_name(Posture::nla_required), "nla-required");
  EXPECT_EQ(posture_name(Posture::cert_problem), "cert-problem");
  EXPECT_EQ(posture_name(Posture::legacy), "legacy");
  EXPECT_EQ(posture_name(Posture::unreachable), "unreachable");
  EXPECT_EQ(posture_name(Posture::not_rdp), "not-rdp");
}

}  // namespace
}  // namespace negoheal::probe
