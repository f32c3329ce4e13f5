#include "host/wire/pubsub/message_id.h"

#include <gtest/gtest.h>

#include <string>

#include "host/base/encoding/hex.h"

namespace prowl::pubsub {
namespace {

std::string hex(const MessageId& id) {
  return encoding::hex_encode(std::span(reinterpret_cast<const uint8_t*>(id.data()), id.size()));
}

pb::Message message(const std::string& from, const std::string& seqno, const std::string& data) {
  pb::Message m;
  m.set_from(from);
  m.set_seqno(seqno);
  m.set_data(data);
  return m;
}

TEST(MessageId, DefaultIsAuthorThenSeqno) {
  EXPECT_EQ(default_message_id(message("author", "12345678", "x")), "author12345678");
}

TEST(MessageId, ContentIdIsTheSha256OfTheData) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(hex(content_message_id(message("a", "1", "abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(content_message_id(message("a", "1", ""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(MessageId, ContentIdIgnoresAuthorAndSeqno) {
  EXPECT_EQ(content_message_id(message("a", "1", "same")), content_message_id(message("b", "2", "same")));
  EXPECT_NE(content_message_id(message("a", "1", "one")), content_message_id(message("a", "1", "two")));
  EXPECT_NE(default_message_id(message("a", "1", "same")), default_message_id(message("b", "2", "same")));
}

}  // namespace
}  // namespace prowl::pubsub
