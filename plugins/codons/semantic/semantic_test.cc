#include <gtest/gtest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "plugins/codons/semantic/codon_grammar.h"
#include "plugins/codons/semantic/packet_json.h"
#include "plugins/codons/semantic/semantic_encoder.h"

namespace prowl::codons::semantic {
namespace {

// The protocol's table, written out independently of alphabet.h.
const std::vector<std::pair<std::string, std::string>> kTable = {
    {"WHEN_IMMEDIATE", "ATG"}, {"WHEN_THRESHOLD", "TAC"},   {"WHEN_PERIODIC", "GCA"},
    {"WHERE_MEMORY", "CGT"},   {"WHERE_PATTERN", "TGA"},    {"WHERE_GENETIC", "ACG"},
    {"HOW_MERGE", "GTC"},      {"HOW_REPLACE", "CAT"},      {"HOW_APPEND", "AGC"},
    {"WHY_OPTIMIZE", "TCG"},   {"WHY_ADAPT", "GAT"},        {"WHY_LEARN", "CTA"},
    {"WHAT_WEIGHTS", "GGA"},   {"WHAT_STRUCTURE", "TTC"},   {"WHAT_PARAMETERS", "AAG"},
    {"ORDER_FIRST", "CCG"},    {"ORDER_AFTER", "TTG"},      {"ORDER_PARALLEL", "AAC"},
};

// Through the plugin class, as the host calls it.
std::string run(bool encode, std::string_view in) {
  SemanticEncoder encoder;
  VectorWriter writer(size_t{1} << 24);
  Output out(writer.writer());
  const std::span<const uint8_t> bytes{reinterpret_cast<const uint8_t*>(in.data()), in.size()};
  if (encode)
    encoder.encode(bytes, out);
  else
    encoder.decode(bytes, out);
  auto text = writer.take();
  return {text.begin(), text.end()};
}
std::string encode(std::string_view json) { return run(true, json); }
std::string decode(std::string_view codons) { return run(false, codons); }

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}
std::string encode_error(std::string_view json) { return error_of([&] { encode(json); }); }
std::string decode_error(std::string_view codons) { return error_of([&] { decode(codons); }); }

constexpr std::string_view kFull =
    R"({"when":"IMMEDIATE","where":"MEMORY","how":"MERGE","why":"OPTIMIZE","what":"WEIGHTS","order":"FIRST"})";

TEST(Semantic, EncodesTheFullInstructionInCanonicalOrder) {
  EXPECT_EQ(encode(kFull), "ATG" "CGT" "GTC" "TCG" "GGA" "CCG");
  EXPECT_EQ(decode("ATGCGTGTCTCGGGACCG"), kFull);
}

TEST(Semantic, EveryCodonOfTheTable) {
  ASSERT_EQ(kCodons.size(), kTable.size());
  for (size_t id = 0; id < kTable.size(); ++id) {
    const auto& [name, codon] = kTable[id];
    const CategoryRule& rule = kCategories[id / 3];
    const std::string symbol = name.substr(rule.name.size() + 1);
    ASSERT_EQ(std::string(rule.name) + "_" + symbol, name);
    EXPECT_EQ(kCodons[id].codon, codon) << name;
    EXPECT_EQ(kCodons[id].symbol, symbol) << name;

    // A minimal instruction whose `rule.key` is this symbol.
    std::vector<std::string> keys{"when", "where", "how", "what"};
    std::vector<std::string> values{"IMMEDIATE", "MEMORY", "MERGE", "WEIGHTS"};
    std::vector<std::string> codons{"ATG", "CGT", "GTC", "GGA"};
    const std::vector<size_t> slot_of_category{0, 1, 2, 3, 3, 4};
    const size_t slot = slot_of_category[id / 3];
    if (rule.required) {
      values[slot] = symbol;
      codons[slot] = codon;
    } else {
      keys.insert(keys.begin() + static_cast<long>(slot), std::string(rule.key));
      values.insert(values.begin() + static_cast<long>(slot), symbol);
      codons.insert(codons.begin() + static_cast<long>(slot), codon);
    }
    std::string json = "{", sequence;
    for (size_t i = 0; i < keys.size(); ++i) {
      json += (i ? ",\"" : "\"") + keys[i] + "\":\"" + values[i] + "\"";
      sequence += codons[i];
    }
    json += "}";
    EXPECT_EQ(encode(json), sequence) << name;
    EXPECT_EQ(decode(sequence), json) << name;
  }
}

TEST(Semantic, SeveralValuesAndSeveralInstructions) {
  const std::string json =
      R"([{"when":"PERIODIC","where":["PATTERN","MEMORY"],"how":"APPEND",)"
      R"("why":["LEARN","ADAPT","OPTIMIZE"],"what":["PARAMETERS","STRUCTURE"],"order":"AFTER"},)"
      R"({"when":"THRESHOLD","where":"GENETIC","how":"REPLACE","what":"WEIGHTS"}])";
  const std::string codons = "GCA" "TGA" "CGT" "AGC" "CTA" "GAT" "TCG" "AAG" "TTC" "TTG"
                             "TAC" "ACG" "CAT" "GGA";
  EXPECT_EQ(encode(json), codons);
  EXPECT_EQ(decode(codons), json);
}

TEST(Semantic, DecodeGivesTheCanonicalForm) {
  // Any key order, whitespace, one-element arrays: canonical is compact,
  // in category order, a lone value as a string, a lone instruction as an object.
  const std::string messy =
      R"([ { "order":"PARALLEL", "what":["WEIGHTS"], "how":"MERGE", "where":["MEMORY"],)"
      R"( "when":"IMMEDIATE" } ])";
  const std::string canonical =
      R"({"when":"IMMEDIATE","where":"MEMORY","how":"MERGE","what":"WEIGHTS","order":"PARALLEL"})";
  EXPECT_EQ(decode(encode(messy)), canonical);
  EXPECT_EQ(encode(canonical), encode(messy));
}

TEST(Semantic, DecodeSkipsWhitespace) {
  EXPECT_EQ(decode("ATG CGT\nGTC GGA\n"), decode("ATGCGTGTCGGA"));
  EXPECT_EQ(decode("A\tTGCGTGTCGG A"), decode("ATGCGTGTCGGA"));
}

TEST(Semantic, RandomPacketsRoundTripBothWays) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    Packet packet(1 + rng() % 4);
    for (Instruction& instruction : packet) {
      for (size_t k = 0; k < kCategoryCount; ++k) {
        const CategoryRule& rule = kCategories[k];
        size_t count = rule.required ? 1 : rng() % 2;
        if (rule.multiple && count) count = 1 + rng() % 3;
        std::vector<CodonId> ids{CodonId(k * 3), CodonId(k * 3 + 1), CodonId(k * 3 + 2)};
        std::shuffle(ids.begin(), ids.end(), rng);
        for (size_t i = 0; i < count; ++i) instruction.categories[k].add(ids[i]);
      }
    }
    const std::string codons = packet_to_codons(packet);
    const std::string json = packet_to_json(packet);
    EXPECT_EQ(packet_from_codons(codons), packet);
    EXPECT_EQ(packet_from_json(json), packet);
    EXPECT_EQ(encode(decode(codons)), codons);
    EXPECT_EQ(decode(encode(json)), json);
  }
}

TEST(Semantic, RefusesBadJsonNamingKeyAndAllowedValues) {
  EXPECT_EQ(encode_error(R"({"when":"IMMEDIATE",)"),
            "invalid JSON at offset 20: Missing a name for object member.");
  EXPECT_EQ(encode_error(""), "invalid JSON at offset 0: The document is empty.");
  EXPECT_EQ(encode_error("42"), "/: a packet must be an instruction object or an array of them, "
                                "not a number");
  EXPECT_EQ(encode_error("[]"), "/: empty packet; give at least one instruction");
  EXPECT_EQ(encode_error(R"({"when":"IMMEDIATE","where":"MEMORY","how":"MERGE","what":"WEIGHTS","who":"X"})"),
            "/: unknown key \"who\"; allowed keys: when, where, how, why, what, order");
  EXPECT_EQ(encode_error(R"([{"when":"IMMEDIATE","where":"MEMORY","how":"MERGE","what":"WEIGHTS"},)"
                         R"({"when":"SOON","where":"MEMORY","how":"MERGE","what":"WEIGHTS"}])"),
            "/1/when: unknown value \"SOON\"; allowed: IMMEDIATE, THRESHOLD, PERIODIC");
  EXPECT_EQ(encode_error(R"({"when":"IMMEDIATE","where":"MEMORY","what":"WEIGHTS"})"),
            "/: missing required key \"how\" (one of MERGE, REPLACE, APPEND)");
  EXPECT_EQ(encode_error(R"({"when":"IMMEDIATE","when":"PERIODIC","where":"MEMORY","how":"MERGE","what":"WEIGHTS"})"),
            "/when: duplicate key");
  EXPECT_EQ(encode_error(R"({"when":"IMMEDIATE","where":["MEMORY","MEMORY"],"how":"MERGE","what":"WEIGHTS"})"),
            "/where/1: duplicate value \"MEMORY\"");
  EXPECT_EQ(encode_error(R"({"when":"IMMEDIATE","where":[],"how":"MERGE","what":"WEIGHTS"})"),
            "/where: empty array; give at least one of MEMORY, PATTERN, GENETIC");
  EXPECT_EQ(encode_error(R"({"when":["IMMEDIATE"],"where":"MEMORY","how":"MERGE","what":"WEIGHTS"})"),
            "/when: expected a string (one of IMMEDIATE, THRESHOLD, PERIODIC), not an array");
  EXPECT_EQ(encode_error(R"({"when":"IMMEDIATE","where":7,"how":"MERGE","what":"WEIGHTS"})"),
            "/where: expected a string or an array of distinct strings (from MEMORY, PATTERN, "
            "GENETIC), not a number");
  EXPECT_EQ(encode_error(R"({"when":"immediate","where":"MEMORY","how":"MERGE","what":"WEIGHTS"})"),
            "/when: unknown value \"immediate\"; allowed: IMMEDIATE, THRESHOLD, PERIODIC");
  EXPECT_EQ(encode_error(R"([null])"), "/0: an instruction must be an object, not null");
}

TEST(Semantic, RefusesOversizedJson) {
  std::string big = R"({"when":"IMMEDIATE","where":"MEMORY","how":"MERGE","what":"WEIGHTS"})";
  big.append(kMaxInputBytes, ' ');
  EXPECT_EQ(encode_error(big).find("JSON input of "), 0u);

  const std::string one = R"({"when":"IMMEDIATE","where":"MEMORY","how":"MERGE","what":"WEIGHTS"})";
  std::string many = "[" + one;
  for (size_t i = 1; i < kMaxInstructions; ++i) many += "," + one;
  EXPECT_EQ(encode(many + "]").size(), kMaxInstructions * 12);
  EXPECT_EQ(encode_error(many + "," + one + "]"),
            "the packet holds 10001 instructions; at most 10000 are allowed");
}

TEST(Semantic, RefusesInvalidSequencesWithPositionAndExpectation) {
  const std::string when = "WHEN (ATG=IMMEDIATE TAC=THRESHOLD GCA=PERIODIC)";
  const std::string where = "WHERE (CGT=MEMORY TGA=PATTERN ACG=GENETIC)";
  const std::string how = "HOW (GTC=MERGE CAT=REPLACE AGC=APPEND)";
  const std::string why = "WHY (TCG=OPTIMIZE GAT=ADAPT CTA=LEARN)";
  const std::string what = "WHAT (GGA=WEIGHTS TTC=STRUCTURE AAG=PARAMETERS)";
  const std::string order = "ORDER (CCG=FIRST TTG=AFTER AAC=PARALLEL)";

  EXPECT_EQ(decode_error(""), "at offset 0: end of input; expected " + when);
  EXPECT_EQ(decode_error("ATGCG"), "at offset 3: incomplete codon of 2 nucleotides; a semantic "
                                   "codon has 3");
  EXPECT_EQ(decode_error("ATGCGN"),
            "invalid character 'N' at offset 5; expected A, C, G, T or whitespace");
  EXPECT_EQ(decode_error("ATGAAA"),
            "at offset 3: unknown codon AAA; expected " + where);
  EXPECT_EQ(decode_error("CGT"), "at offset 0: WHERE_MEMORY (CGT) out of order; expected " + when);
  EXPECT_EQ(decode_error("ATG CGT TCG"),
            "at offset 8: WHY_OPTIMIZE (TCG) out of order; expected " + where + " or " + how);
  EXPECT_EQ(decode_error("ATGCGTCGT"),
            "at offset 6: duplicate WHERE_MEMORY (CGT); expected " + where + " or " + how);
  EXPECT_EQ(decode_error("ATGTAC"),
            "at offset 3: WHEN_THRESHOLD (TAC) out of order; expected " + where);
  EXPECT_EQ(decode_error("ATGCGTGTC"),
            "at offset 9: end of input; expected " + why + " or " + what);
  EXPECT_EQ(decode_error("ATGCGTGTCGGACCGTTG"),
            "at offset 15: ORDER_AFTER (TTG) out of order; expected " + when +
                " to start the next instruction or the end");
  EXPECT_EQ(decode_error("ATGCGTGTCGGAGTC"),
            "at offset 12: HOW_MERGE (GTC) out of order; expected " + what + " or " + order +
                " or " + when + " to start the next instruction or the end");
  EXPECT_EQ(decode_error("ATGCGTGTCGGAATG"),
            "at offset 15: end of input; expected " + where);
}

TEST(Semantic, RefusesOversizedSequences) {
  std::string many;
  for (size_t i = 0; i < kMaxInstructions; ++i) many += "ATGCGTGTCGGA";
  EXPECT_EQ(packet_from_codons(many).size(), kMaxInstructions);
  EXPECT_EQ(decode_error(many + "ATGCGTGTCGGA"), "at offset 120000: more than 10000 instructions");
  EXPECT_EQ(decode_error(std::string(kMaxInputBytes + 1, ' ')),
            "codon sequence of 1048577 bytes is longer than the limit of 1048576");
}

}  // namespace
}  // namespace prowl::codons::semantic
