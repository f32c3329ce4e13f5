#include "host/base/peer_record/envelope.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host/base/encoding/hex.h"
#include "host/base/identity/test_keys.h"
#include "host/base/peer_record/envelope.pb.h"

namespace prowl::peer_record {
namespace {

using identity::test_keys::key_from_fill;

const std::vector<uint8_t> kType{0x03, 0x01};
const std::vector<uint8_t> kPayload{'h', 'e', 'l', 'l', 'o'};

std::vector<uint8_t> serialize(const pb::Envelope& message) {
  std::string out = message.SerializeAsString();
  return {out.begin(), out.end()};
}

pb::Envelope parse(const std::vector<uint8_t>& bytes) {
  pb::Envelope message;
  EXPECT_TRUE(message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
  return message;
}

TEST(Envelope, SigningInputLengthPrefixesDomainTypeAndPayload) {
  const std::vector<uint8_t> type{0x01};
  const std::vector<uint8_t> payload{0x02, 0x03};
  EXPECT_EQ(encoding::hex_encode(envelope_signing_input("ab", type, payload)), "0261620101020203");
  const std::vector<uint8_t> long_payload(200, 0xaa);
  const auto input = envelope_signing_input("", {}, long_payload);
  ASSERT_EQ(input.size(), 1u + 1u + 2u + 200u);
  EXPECT_EQ(input[2], 0xc8);  // 200 as an unsigned varint: c8 01
  EXPECT_EQ(input[3], 0x01);
}

TEST(Envelope, SealedEnvelopeOpensForItsDomainOnly) {
  const auto key = key_from_fill(7);
  const Envelope sealed = Envelope::seal(key, "prowl-test", kType, kPayload);
  std::string error;
  const auto opened = Envelope::open(sealed.bytes(), "prowl-test", &error);
  ASSERT_TRUE(opened) << error;
  EXPECT_EQ(opened->public_key(), key.public_key());
  EXPECT_EQ(opened->payload_type(), kType);
  EXPECT_EQ(opened->payload(), kPayload);
  EXPECT_EQ(opened->bytes(), sealed.bytes());

  EXPECT_FALSE(Envelope::open(sealed.bytes(), "other-domain", &error));
  EXPECT_NE(error.find("does not verify for domain 'other-domain'"), std::string::npos) << error;
}

TEST(Envelope, RefusesTamperedFields) {
  const Envelope sealed = Envelope::seal(key_from_fill(7), "d", kType, kPayload);
  std::string error;

  pb::Envelope message = parse(sealed.bytes());
  message.set_payload("hellO");
  EXPECT_FALSE(Envelope::open(serialize(message), "d", &error));
  EXPECT_NE(error.find("signature (field 5) does not verify"), std::string::npos) << error;

  message = parse(sealed.bytes());
  message.set_payload_type("\x03\x02");
  EXPECT_FALSE(Envelope::open(serialize(message), "d", &error));
  EXPECT_NE(error.find("does not verify"), std::string::npos) << error;

  // Another key's signature over the same fields.
  message = parse(sealed.bytes());
  const auto other = key_from_fill(8).public_key().to_protobuf();
  message.set_public_key(other.data(), other.size());
  EXPECT_FALSE(Envelope::open(serialize(message), "d", &error));
  EXPECT_NE(error.find("does not verify"), std::string::npos) << error;
}

TEST(Envelope, NamesTheMissingOrMalformedField) {
  const Envelope sealed = Envelope::seal(key_from_fill(7), "d", kType, kPayload);
  std::string error;
  pb::Envelope message = parse(sealed.bytes());
  message.clear_public_key();
  EXPECT_FALSE(Envelope::open(serialize(message), "d", &error));
  EXPECT_NE(error.find("public_key (field 1) is missing"), std::string::npos) << error;

  message = parse(sealed.bytes());
  message.clear_payload_type();
  EXPECT_FALSE(Envelope::open(serialize(message), "d", &error));
  EXPECT_NE(error.find("payload_type (field 2) is missing"), std::string::npos) << error;

  message = parse(sealed.bytes());
  message.clear_signature();
  EXPECT_FALSE(Envelope::open(serialize(message), "d", &error));
  EXPECT_NE(error.find("signature (field 5) is missing"), std::string::npos) << error;

  message = parse(sealed.bytes());
  message.set_public_key(std::string("\x08\x00\x12\x01\x00", 5));  // an RSA key type
  EXPECT_FALSE(Envelope::open(serialize(message), "d", &error));
  EXPECT_NE(error.find("public_key (field 1):"), std::string::npos) << error;

  message = parse(sealed.bytes());
  message.set_payload_type(std::string(kMaxPayloadTypeBytes + 1, 'x'));
  EXPECT_FALSE(Envelope::open(serialize(message), "d", &error));
  EXPECT_NE(error.find("payload_type (field 2) of 65 bytes"), std::string::npos) << error;

  const std::vector<uint8_t> garbage{0x0a, 0xff, 0x01};
  EXPECT_FALSE(Envelope::open(garbage, "d", &error));
  EXPECT_NE(error.find("not an Envelope protobuf"), std::string::npos) << error;
}

TEST(Envelope, BoundsItsSize) {
  std::string error;
  const std::vector<uint8_t> huge(kMaxEnvelopeBytes + 1, 0);
  EXPECT_FALSE(Envelope::open(huge, "d", &error));
  EXPECT_NE(error.find("exceed the limit of 8192"), std::string::npos) << error;
  const std::vector<uint8_t> big_payload(kMaxEnvelopeBytes, 1);
  EXPECT_THROW(Envelope::seal(key_from_fill(1), "d", kType, big_payload), std::length_error);
  const std::vector<uint8_t> long_type(kMaxPayloadTypeBytes + 1, 1);
  EXPECT_THROW(Envelope::seal(key_from_fill(1), "d", long_type, kPayload), std::length_error);
}

}  // namespace
}  // namespace prowl::peer_record
