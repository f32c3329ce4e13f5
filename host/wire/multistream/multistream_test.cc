#include <gtest/gtest.h>

#include "host/base/encoding/hex.h"
#include "host/wire/multistream/dialer.h"
#include "host/wire/multistream/listener.h"
#include "host/wire/multistream/message.h"
#include "host/wire/multistream/message_decoder.h"

namespace prowl::multistream {
namespace {

std::vector<uint8_t> framed(std::string_view text) {
  std::vector<uint8_t> out;
  append_message(out, text);
  return out;
}

std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::vector<uint8_t> raw(std::string_view text) { return {text.begin(), text.end()}; }

void feed(Negotiation& n, const std::vector<uint8_t>& bytes, size_t chunk) {
  for (size_t i = 0; i < bytes.size(); i += chunk)
    n.on_bytes(std::span(bytes).subspan(i, std::min(chunk, bytes.size() - i)));
}

// Moves bytes both ways, `chunk` bytes per on_bytes call, until both are quiet.
void pump(Negotiation& a, Negotiation& b, size_t chunk) {
  for (int round = 0; round < 200; ++round) {
    const auto from_a = a.take_output();
    const auto from_b = b.take_output();
    if (from_a.empty() && from_b.empty()) return;
    feed(b, from_a, chunk);
    feed(a, from_b, chunk);
  }
  FAIL() << "negotiation did not settle";
}

std::string decode_error(const std::vector<uint8_t>& bytes) {
  MessageDecoder decoder;
  decoder.feed(bytes);
  MessageDecoder::Result r;
  while ((r = decoder.next()) == MessageDecoder::Result::kMessage) {
  }
  EXPECT_EQ(r, MessageDecoder::Result::kError) << encoding::hex_encode(bytes);
  return decoder.error();
}

TEST(MultistreamMessage, WireFormat) {
  EXPECT_EQ(encoding::hex_encode(framed("na")), "036e610a");
  EXPECT_EQ(encoding::hex_encode(framed("ls")), "036c730a");
  EXPECT_EQ(framed(kProtocolId), concat({{0x13}, raw("/multistream/1.0.0\n")}));
  const std::string long_id(200, 'x');
  EXPECT_EQ(framed(long_id).size(), 2 + 201u);  // 201 needs a two-byte varint
}

TEST(MultistreamMessage, DecoderReassemblesByteByByte) {
  const auto stream = concat({framed(kProtocolId), framed("/yamux/1.0.0"), raw("tail")});
  MessageDecoder decoder;
  std::vector<std::string> messages;
  for (uint8_t b : stream) {
    decoder.feed(std::span(&b, 1));
    for (auto r = decoder.next(); r != MessageDecoder::Result::kNeedMore; r = decoder.next()) {
      ASSERT_EQ(r, MessageDecoder::Result::kMessage) << decoder.error();
      messages.push_back(decoder.message());
    }
    if (messages.size() == 2) break;
  }
  EXPECT_EQ(messages, (std::vector<std::string>{std::string(kProtocolId), "/yamux/1.0.0"}));
  EXPECT_TRUE(decoder.take_buffered().empty());
  decoder.feed(raw("tail"));
  EXPECT_EQ(decoder.take_buffered(), raw("tail"));
}

TEST(MultistreamMessage, DecoderRefusesMalformedMessages) {
  EXPECT_EQ(decode_error({0x83, 0x00}),
            "multistream byte 0: invalid length prefix: varint is not minimally encoded");
  EXPECT_EQ(decode_error({0x81, 0x08}),
            "multistream byte 0: message length 1025 exceeds 1024 bytes");
  EXPECT_EQ(decode_error({0x80, 0x80}), "multistream byte 0: message length exceeds 1024 bytes");
  EXPECT_EQ(decode_error({0x00}), "multistream byte 0: empty message");
  EXPECT_EQ(decode_error({0x01, '\n'}), "multistream byte 1: empty message");
  EXPECT_EQ(decode_error(concat({framed("na"), {0x03, 'n', 'a', '!'}})),
            "multistream byte 7: message does not end with '\\n'");
  EXPECT_EQ(decode_error({0x04, 'a', 0xc3, 0x28, '\n'}),
            "multistream byte 2: message is not UTF-8");
  EXPECT_EQ(decode_error({0x04, 0xed, 0xa0, 0x80, '\n'}),
            "multistream byte 1: message is not UTF-8");
  // A maximal message is fine.
  MessageDecoder decoder;
  decoder.feed(framed(std::string(kMaxMessageBytes - 1, 'a')));
  EXPECT_EQ(decoder.next(), MessageDecoder::Result::kMessage);
}

TEST(MultistreamMessage, ProtocolIdChecksAndUtf8) {
  std::string error;
  EXPECT_TRUE(check_protocol_id("/noise", &error));
  EXPECT_TRUE(check_protocol_id("/größe/1.0.0", &error));
  EXPECT_FALSE(check_protocol_id("", &error));
  EXPECT_EQ(error, "empty protocol id");
  EXPECT_FALSE(check_protocol_id("na", &error));
  EXPECT_EQ(error, "protocol id 'na' is reserved");
  EXPECT_FALSE(check_protocol_id("/a\nb", &error));
  EXPECT_FALSE(check_protocol_id(std::string(kMaxMessageBytes, 'a'), &error));
  EXPECT_EQ(error, "protocol id is 1024 bytes, limit 1023");
  EXPECT_FALSE(check_protocol_id("/\xff", &error));
  EXPECT_EQ(error, "protocol id is not UTF-8 at byte 1");
  const uint8_t overlong[] = {0xc0, 0xaf};
  EXPECT_FALSE(is_utf8(overlong));
  const uint8_t four_bytes[] = {0xf0, 0x9f, 0x90, 0xba};
  EXPECT_TRUE(is_utf8(four_bytes));
  EXPECT_FALSE(is_utf8(std::span(four_bytes).first(3)));
}

class Negotiate : public ::testing::TestWithParam<size_t> {};

TEST_P(Negotiate, AgreesOnFirstProposal) {
  Dialer dialer({"/noise", "/tls/1.0.0"});
  Listener listener({"/tls/1.0.0", "/noise"});
  pump(dialer, listener, GetParam());
  ASSERT_EQ(dialer.status().state, State::kDone) << dialer.status().error;
  ASSERT_EQ(listener.status().state, State::kDone) << listener.status().error;
  EXPECT_EQ(dialer.protocol(), "/noise");
  EXPECT_EQ(listener.protocol(), "/noise");
  EXPECT_TRUE(dialer.take_leftover().empty());
  EXPECT_TRUE(listener.take_leftover().empty());
}

TEST_P(Negotiate, TriesNextAfterNa) {
  Dialer dialer({"/tls/1.0.0", "/mplex/6.7.0", "/yamux/1.0.0"});
  Listener listener({"/yamux/1.0.0"});
  pump(dialer, listener, GetParam());
  ASSERT_EQ(dialer.status().state, State::kDone) << dialer.status().error;
  ASSERT_EQ(listener.status().state, State::kDone) << listener.status().error;
  EXPECT_EQ(dialer.protocol(), "/yamux/1.0.0");
  EXPECT_EQ(listener.protocol(), "/yamux/1.0.0");
}

TEST_P(Negotiate, NoProtocolInCommon) {
  Dialer dialer({"/a", "/b"});
  Listener listener({"/c"});
  pump(dialer, listener, GetParam());
  EXPECT_EQ(dialer.status().state, State::kFailed);
  EXPECT_EQ(dialer.status().error, "no protocol in common: [/a, /b]");
  EXPECT_TRUE(dialer.status().no_common_protocol);
  EXPECT_EQ(listener.status().state, State::kInProgress);
  EXPECT_TRUE(dialer.protocol().empty());
}

TEST_P(Negotiate, HandsOverBytesAfterTheFinalMessage) {
  Dialer dialer({"/x", "/noise"});
  Listener listener({"/noise"});
  // The dialer's first flight: header, proposal; the listener answers "na".
  feed(listener, dialer.take_output(), GetParam());
  feed(dialer, listener.take_output(), GetParam());
  ASSERT_EQ(dialer.status().state, State::kInProgress);
  // Second proposal plus the first Noise bytes in one write.
  feed(listener, concat({dialer.take_output(), raw("noise-e")}), GetParam());
  ASSERT_EQ(listener.status().state, State::kDone) << listener.status().error;
  EXPECT_EQ(listener.take_leftover(), raw("noise-e"));
  // The echo plus the listener's Noise reply; more bytes arrive later.
  feed(dialer, concat({listener.take_output(), raw("noise-ee")}), GetParam());
  dialer.on_bytes(raw("-more"));
  ASSERT_EQ(dialer.status().state, State::kDone) << dialer.status().error;
  EXPECT_EQ(dialer.protocol(), "/noise");
  EXPECT_EQ(dialer.take_leftover(), raw("noise-ee-more"));
  EXPECT_TRUE(dialer.take_leftover().empty());
}

INSTANTIATE_TEST_SUITE_P(ChunkSizes, Negotiate, ::testing::Values(1, 2, 7, 4096));

TEST(Multistream, DialerSendsHeaderAndProposalInOneWrite) {
  Dialer dialer({"/noise"});
  EXPECT_EQ(dialer.take_output(), concat({framed(kProtocolId), framed("/noise")}));
  EXPECT_TRUE(dialer.take_output().empty());
  Listener listener({"/noise"});
  EXPECT_EQ(listener.take_output(), framed(kProtocolId));
}

TEST(Multistream, SimultaneousHeadersBeforeAnyProposalIsAnswered) {
  Dialer dialer({"/noise"});
  Listener listener({"/noise"});
  // Each side's header reaches the other before either has read anything.
  const auto d = dialer.take_output();
  const auto l = listener.take_output();
  dialer.on_bytes(l);
  EXPECT_EQ(dialer.status().state, State::kInProgress);
  EXPECT_TRUE(dialer.take_output().empty());
  listener.on_bytes(d);
  EXPECT_EQ(listener.take_output(), framed("/noise"));
  EXPECT_EQ(listener.status().state, State::kDone);
}

TEST(Multistream, RefusesWrongHeaderAndGarbage) {
  Listener listener({"/noise"});
  listener.on_bytes(framed("/multistream/2.0.0"));
  EXPECT_EQ(listener.status().state, State::kFailed);
  EXPECT_EQ(listener.status().error,
            "expected header '/multistream/1.0.0', got '/multistream/2.0.0'");
  listener.on_bytes(framed(kProtocolId));  // ignored after failure
  EXPECT_EQ(listener.status().state, State::kFailed);

  Listener http({"/noise"});
  http.on_bytes(
      raw("GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0\r\n"
          "Accept: */*\r\nConnection: keep-alive\r\n\r\n"));
  EXPECT_EQ(http.status().state, State::kFailed);
  EXPECT_EQ(http.status().error, "multistream byte 71: message does not end with '\\n'");

  Dialer dialer({"/noise"});
  dialer.on_bytes(concat({framed(kProtocolId), framed("/other")}));
  EXPECT_EQ(dialer.status().error, "unexpected answer '/other' to proposal '/noise'");
}

TEST(Multistream, RefusesOversizeMessages) {
  Listener listener({"/noise"});
  listener.on_bytes(concat({framed(kProtocolId), {0x81, 0x08}}));
  EXPECT_EQ(listener.status().state, State::kFailed);
  EXPECT_EQ(listener.status().error, "multistream byte 20: message length 1025 exceeds 1024 bytes");
}

TEST(Multistream, ListenerBoundsProposals) {
  Listener listener({"/noise"});
  listener.on_bytes(framed(kProtocolId));
  for (size_t i = 0; i + 1 < kMaxProposals; ++i)
    listener.on_bytes(framed("/x/" + std::to_string(i)));
  EXPECT_EQ(listener.status().state, State::kInProgress);
  listener.on_bytes(framed("/y"));
  EXPECT_EQ(listener.status().state, State::kFailed);
  EXPECT_EQ(listener.status().error, "dialer sent 64 messages without agreement");
  std::vector<uint8_t> nas = framed(kProtocolId);
  for (size_t i = 0; i < kMaxProposals; ++i) nas = concat({nas, framed(kNotAvailable)});
  EXPECT_EQ(listener.take_output(), nas);
}

TEST(Multistream, ListenerPredicateAndList) {
  Listener listener([](std::string_view id) { return id.starts_with("/echo/"); },
                    {"/echo/1.0.0", "", "na"});
  listener.on_bytes(concat({framed(kProtocolId), framed(kList)}));
  std::vector<uint8_t> list_body = framed("/echo/1.0.0");
  EXPECT_EQ(listener.take_output(),
            concat({framed(kProtocolId),
                    framed({reinterpret_cast<const char*>(list_body.data()), list_body.size()})}));
  listener.on_bytes(framed("/echo/2.0.0"));
  EXPECT_EQ(listener.status().state, State::kDone);
  EXPECT_EQ(listener.protocol(), "/echo/2.0.0");
}

TEST(Multistream, ListAnswerStaysWithinMessageLimit) {
  std::vector<std::string> ids;
  for (int i = 0; i < 100; ++i) ids.push_back("/protocol/number/" + std::to_string(i));
  std::vector<uint8_t> out;
  append_list_answer(out, ids);
  MessageDecoder decoder;
  decoder.feed(out);
  ASSERT_EQ(decoder.next(), MessageDecoder::Result::kMessage) << decoder.error();
  EXPECT_GT(decoder.message().size(), 900u);
}

TEST(Multistream, DialerRefusesBadProposalList) {
  Dialer none({});
  EXPECT_EQ(none.status().error, "no protocols to propose");
  Dialer reserved({"/ok", "ls"});
  EXPECT_EQ(reserved.status().error, "cannot propose 'ls': protocol id 'ls' is reserved");
}

}  // namespace
}  // namespace prowl::multistream
