#include "host/wire/mdns/dns_message.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace prowl::mdns {
namespace {

std::vector<uint8_t> header(uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar) {
  return {0, 0, static_cast<uint8_t>(flags >> 8), static_cast<uint8_t>(flags),
          0, static_cast<uint8_t>(qd), 0, static_cast<uint8_t>(an),
          0, static_cast<uint8_t>(ns), 0, static_cast<uint8_t>(ar)};
}

void append(std::vector<uint8_t>& out, std::initializer_list<uint8_t> bytes) {
  out.insert(out.end(), bytes);
}

void append_service_name(std::vector<uint8_t>& out) {
  const std::string labels[] = {"_p2p", "_udp", "local"};
  for (const auto& label : labels) {
    out.push_back(static_cast<uint8_t>(label.size()));
    out.insert(out.end(), label.begin(), label.end());
  }
  out.push_back(0);
}

TEST(DnsMessage, DecodesAHandWrittenQueryWithTheUnicastResponseBit) {
  std::vector<uint8_t> wire = header(0, 1, 0, 0, 0);
  append_service_name(wire);
  append(wire, {0x00, 0x0c, 0x80, 0x01});  // PTR, QU | IN
  std::string error;
  auto message = decode_dns_message(wire, &error);
  ASSERT_TRUE(message) << error;
  EXPECT_FALSE(message->response);
  ASSERT_EQ(message->questions.size(), 1u);
  EXPECT_EQ(message->questions[0],
            (DnsQuestion{"_p2p._udp.local", kTypePtr, kClassIn, true}));
}

TEST(DnsMessage, EncodesTheQuestionClassWithTheQuBitOnTheWire) {
  DnsMessage query;
  query.questions.push_back({"_p2p._udp.local", kTypePtr, kClassIn, true});
  auto wire = encode_dns_message(query);
  ASSERT_TRUE(wire);
  std::vector<uint8_t> expected = header(0, 1, 0, 0, 0);
  append_service_name(expected);
  append(expected, {0x00, 0x0c, 0x80, 0x01});
  EXPECT_EQ(*wire, expected);
}

TEST(DnsMessage, ResponseRoundTripsWithCacheFlushAndCompressesNames) {
  DnsMessage response;
  response.response = true;
  response.authoritative = true;
  response.answers.push_back({"_p2p._udp.local", kTypePtr, kClassIn, false, 120,
                              "abc123._p2p._udp.local", {}});
  response.additionals.push_back({"abc123._p2p._udp.local", kTypeTxt, kClassIn, true, 120, "",
                                  {"dnsaddr=/ip4/10.0.0.1/tcp/4001", std::string(255, 'x')}});
  std::string error;
  auto wire = encode_dns_message(response, &error);
  ASSERT_TRUE(wire) << error;
  EXPECT_EQ((*wire)[2], 0x84);  // QR | AA
  // "_p2p._udp.local" is written once; the other two occurrences are pointers.
  const std::string service_label = "_p2p";
  auto count = 0;
  for (auto it = wire->begin();
       (it = std::search(it, wire->end(), service_label.begin(), service_label.end())) !=
       wire->end();
       ++it) {
    ++count;
  }
  EXPECT_EQ(count, 1);
  auto decoded = decode_dns_message(*wire, &error);
  ASSERT_TRUE(decoded) << error;
  EXPECT_EQ(*decoded, response);
}

TEST(DnsMessage, KeepsOtherRecordTypesWithoutTheirData) {
  std::vector<uint8_t> wire = header(0x8400, 0, 1, 0, 0);
  append_service_name(wire);
  append(wire, {0x00, 0x01, 0x80, 0x01, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1});  // A 10.0.0.1, flush
  auto message = decode_dns_message(wire);
  ASSERT_TRUE(message);
  ASSERT_EQ(message->answers.size(), 1u);
  EXPECT_EQ(message->answers[0].type, 1);
  EXPECT_TRUE(message->answers[0].cache_flush);
  EXPECT_EQ(message->answers[0].ttl, 60u);
}

TEST(DnsMessage, RejectsACompressionLoop) {
  std::vector<uint8_t> wire = header(0, 1, 0, 0, 0);
  append(wire, {0xc0, 12, 0x00, 0x0c, 0x00, 0x01});  // the name points at itself
  std::string error;
  EXPECT_FALSE(decode_dns_message(wire, &error));
  EXPECT_FALSE(error.empty());
}

TEST(DnsMessage, RejectsTruncatedInputAtEveryLength) {
  DnsMessage response;
  response.response = true;
  response.answers.push_back({"_p2p._udp.local", kTypePtr, kClassIn, false, 120,
                              "abc._p2p._udp.local", {}});
  response.additionals.push_back(
      {"abc._p2p._udp.local", kTypeTxt, kClassIn, true, 120, "", {"dnsaddr=/ip4/1.2.3.4"}});
  auto wire = encode_dns_message(response).value();
  for (size_t n = 0; n < wire.size(); ++n) {
    std::string error;
    EXPECT_FALSE(decode_dns_message(std::span(wire.data(), n), &error)) << n;
    EXPECT_NE(error.find("DNS"), std::string::npos) << error;
  }
}

TEST(DnsMessage, RejectsOversizedMessagesAndOtherOpcodes) {
  std::vector<uint8_t> big(kMaxMessageBytes + 1, 0);
  std::string error;
  EXPECT_FALSE(decode_dns_message(big, &error));
  EXPECT_NE(error.find("exceeds 9000"), std::string::npos) << error;
  std::vector<uint8_t> update = header(0x2800, 0, 0, 0, 0);  // opcode 5 (UPDATE)
  EXPECT_FALSE(decode_dns_message(update, &error));
  EXPECT_NE(error.find("opcode 5"), std::string::npos) << error;
}

TEST(DnsMessage, EncodingRejectsLongTextsLabelsAndUnsupportedTypes) {
  std::string error;
  DnsMessage m;
  m.answers.push_back({"a.local", kTypeTxt, kClassIn, false, 1, "", {std::string(256, 'x')}});
  EXPECT_FALSE(encode_dns_message(m, &error));
  EXPECT_NE(error.find("256 bytes"), std::string::npos) << error;
  m.answers = {{std::string(64, 'a') + ".local", kTypePtr, kClassIn, false, 1, "b.local", {}}};
  EXPECT_FALSE(encode_dns_message(m, &error));
  EXPECT_NE(error.find("invalid DNS name"), std::string::npos) << error;
  m.answers = {{"a.local", 1, kClassIn, false, 1, "", {}}};
  EXPECT_FALSE(encode_dns_message(m, &error));
  EXPECT_NE(error.find("RR type 1"), std::string::npos) << error;
}

TEST(DnsMessage, ComparesNamesCaseInsensitively) {
  EXPECT_TRUE(same_dns_name("_P2P._udp.LOCAL", "_p2p._udp.local"));
  EXPECT_FALSE(same_dns_name("_p2p._udp.local", "_p2p._tcp.local"));
  EXPECT_FALSE(same_dns_name("a", "ab"));
}

}  // namespace
}  // namespace prowl::mdns
