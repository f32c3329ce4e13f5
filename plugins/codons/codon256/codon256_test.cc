#include "plugins/codons/codon256/codon256_encoder.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace prowl::codons {
namespace {

constexpr size_t kNoLimit = size_t{1} << 30;

std::string encode(std::span<const uint8_t> bytes, size_t limit = kNoLimit) {
  Codon256Encoder encoder;
  VectorWriter writer(limit);
  Output out(writer.writer());
  encoder.encode(bytes, out);
  auto text = writer.take();
  return {text.begin(), text.end()};
}

std::vector<uint8_t> decode(std::string_view text) {
  Codon256Encoder encoder;
  VectorWriter writer(kNoLimit);
  Output out(writer.writer());
  encoder.decode({reinterpret_cast<const uint8_t*>(text.data()), text.size()}, out);
  return writer.take();
}

std::string decode_error(std::string_view text) {
  try {
    decode(text);
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "no error";
}

TEST(Codon256, MapsTwoBitsPerNucleotideHighBitsFirst) {
  const std::vector<uint8_t> bytes{0x00, 0x1b, 0xe4, 0xff, 0x41};
  EXPECT_EQ(encode(bytes), "AAAA" "ACGT" "TGCA" "TTTT" "CAAC");
}

TEST(Codon256, EveryByteHasItsOwnCodonAndComesBack) {
  std::vector<uint8_t> all(256);
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<uint8_t>(i);
  const std::string text = encode(all);
  ASSERT_EQ(text.size(), 1024u);
  EXPECT_EQ(text.substr(0, 8), "AAAAAAAC");
  EXPECT_EQ(text.substr(1020), "TTTT");
  EXPECT_EQ(decode(text), all);
}

TEST(Codon256, EmptyRoundTrips) {
  EXPECT_EQ(encode({}), "");
  EXPECT_TRUE(decode("").empty());
  EXPECT_TRUE(decode(" \n\t\r").empty());
}

TEST(Codon256, TenMebibytesOfRandomBytesRoundTrip) {
  std::vector<uint8_t> bytes(10u << 20);
  std::mt19937_64 rng(20240601);
  for (size_t i = 0; i < bytes.size(); i += 8) {
    const uint64_t r = rng();
    std::memcpy(bytes.data() + i, &r, 8);
  }
  const std::string text = encode(bytes);
  ASSERT_EQ(text.size(), bytes.size() * 4);
  EXPECT_EQ(text.find_first_not_of("ACGT"), std::string::npos);
  EXPECT_EQ(decode(text), bytes);
}

TEST(Codon256, SkipsWhitespaceAnywhere) {
  EXPECT_EQ(decode("ACGT\nTTTT\r\n"), (std::vector<uint8_t>{0x1b, 0xff}));
  EXPECT_EQ(decode(" AC\tGT  TG\vCA\f"), (std::vector<uint8_t>{0x1b, 0xe4}));
}

TEST(Codon256, RefusesCharactersOutsideAcgtWithOffset) {
  EXPECT_EQ(decode_error("ACGTACGX"),
            "invalid character 'X' at offset 7; expected A, C, G, T or whitespace");
  EXPECT_EQ(decode_error("ACGTa"),
            "invalid character 'a' at offset 4; expected A, C, G, T or whitespace");
  EXPECT_EQ(decode_error(std::string_view("AC\0T", 4)),
            "invalid byte 0x00 at offset 2; expected A, C, G, T or whitespace");
  EXPECT_EQ(decode_error("ACGT\nACGU"),
            "invalid character 'U' at offset 8; expected A, C, G, T or whitespace");
}

TEST(Codon256, RefusesIncompleteLastCodonWithOffset) {
  EXPECT_EQ(decode_error("ACGTAC"),
            "incomplete codon at offset 4: 2 of 4 nucleotides (a codon256 sequence holds 4 "
            "nucleotides per byte)");
  EXPECT_EQ(decode_error("A"),
            "incomplete codon at offset 0: 1 of 4 nucleotides (a codon256 sequence holds 4 "
            "nucleotides per byte)");
  EXPECT_EQ(decode_error("ACGT\n TTG\n"),
            "incomplete codon at offset 6: 3 of 4 nucleotides (a codon256 sequence holds 4 "
            "nucleotides per byte)");
}

TEST(Codon256, StopsAtTheOutputLimit) {
  const std::vector<uint8_t> bytes{1, 2};
  EXPECT_THROW(encode(bytes, 7), LimitExceeded);
  EXPECT_EQ(encode(bytes, 8), "AAACAAAG");
}

}  // namespace
}  // namespace prowl::codons
