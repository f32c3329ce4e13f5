#include "host/plugin_host/loader/manifest.h"

#include <elf.h>
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace prowl::plugins {
namespace {

// This test binary carries a manifest of its own, so reading /proc/self/exe
// exercises the real ELF path (section lookup through libelf).
extern "C" PROWL_MANIFEST_ATTRIBUTES
const prowl_manifest prowl_test_manifest = {{'P', 'R', 'O', 'W', 'L', 'P', 'L', 'G'},
                                            PROWL_ABI_MAJOR,
                                            PROWL_ABI_MINOR,
                                            PROWL_KIND_CODON,
                                            0u,
                                            "self-test",
                                            "0.0.1",
                                            "the manifest test binary"};

prowl_manifest valid_manifest() {
  prowl_manifest m{};
  std::memcpy(m.magic, PROWL_MANIFEST_MAGIC, sizeof m.magic);
  m.abi_major = PROWL_ABI_MAJOR;
  m.abi_minor = PROWL_ABI_MINOR;
  m.kind = PROWL_KIND_CODEC;
  std::strcpy(m.name, "zstd");
  std::strcpy(m.version, "1.5.4");
  std::strcpy(m.description, "Zstandard");
  return m;
}

std::string parse_error(const prowl_manifest& m) {
  std::string error;
  auto bytes = std::span(reinterpret_cast<const uint8_t*>(&m), sizeof m);
  EXPECT_FALSE(parse_manifest_section(bytes, &error).has_value());
  return error;
}

std::vector<uint8_t> self_image() {
  std::vector<uint8_t> image;
  std::string error;
  EXPECT_TRUE(read_plugin_file("/proc/self/exe", image, &error)) << error;
  return image;
}

TEST(ManifestTest, ParsesAValidSection) {
  prowl_manifest raw = valid_manifest();
  std::string error;
  auto m = parse_manifest_section({reinterpret_cast<const uint8_t*>(&raw), sizeof raw}, &error);
  ASSERT_TRUE(m) << error;
  EXPECT_EQ(m->name, "zstd");
  EXPECT_EQ(m->version, "1.5.4");
  EXPECT_EQ(m->description, "Zstandard");
  EXPECT_EQ(m->kind, PROWL_KIND_CODEC);
  EXPECT_EQ(m->abi_major, uint32_t{PROWL_ABI_MAJOR});
}

TEST(ManifestTest, RefusesBadFields) {
  prowl_manifest m = valid_manifest();
  m.magic[0] = 'X';
  EXPECT_EQ(parse_error(m), "manifest magic is not PROWLPLG");

  m = valid_manifest();
  std::memset(m.name, 'a', sizeof m.name);
  EXPECT_EQ(parse_error(m), "manifest name is not NUL-terminated within 64 bytes");

  m = valid_manifest();
  std::strcpy(m.name, "Zstd");
  EXPECT_EQ(parse_error(m), "manifest name 'Zstd' is invalid (must match [a-z0-9][a-z0-9_-]*)");

  m = valid_manifest();
  std::strcpy(m.name, "-x");
  EXPECT_EQ(parse_error(m), "manifest name '-x' is invalid (must match [a-z0-9][a-z0-9_-]*)");

  m = valid_manifest();
  std::strcpy(m.description, "two\nlines");
  EXPECT_EQ(parse_error(m), "manifest description contains a control character");

  m = valid_manifest();
  m.version[0] = '\0';
  EXPECT_EQ(parse_error(m), "manifest version is empty");

  m = valid_manifest();
  m.kind = 42;
  EXPECT_EQ(parse_error(m), "unknown plugin kind 42");

  std::string error;
  const uint8_t short_section[8] = {'P', 'R', 'O', 'W', 'L', 'P', 'L', 'G'};
  EXPECT_FALSE(parse_manifest_section(short_section, &error));
  EXPECT_EQ(error, "section .prowl_manifest holds 8 bytes, expected " +
                       std::to_string(sizeof(prowl_manifest)));
}

TEST(ManifestTest, NameCharset) {
  EXPECT_TRUE(is_valid_plugin_name("a"));
  EXPECT_TRUE(is_valid_plugin_name("codon256"));
  EXPECT_TRUE(is_valid_plugin_name("rle_v2-x"));
  EXPECT_FALSE(is_valid_plugin_name(""));
  EXPECT_FALSE(is_valid_plugin_name("_x"));
  EXPECT_FALSE(is_valid_plugin_name("a.b"));
  EXPECT_FALSE(is_valid_plugin_name("a b"));
  EXPECT_FALSE(is_valid_plugin_name(std::string(PROWL_NAME_MAX, 'a')));
  EXPECT_TRUE(is_valid_plugin_name(std::string(PROWL_NAME_MAX - 1, 'a')));
}

TEST(ManifestTest, AbiHandshake) {
  EXPECT_FALSE(check_abi(PROWL_ABI_MAJOR, PROWL_ABI_MINOR));
  EXPECT_FALSE(check_abi(1, 1));  // 1.1 plugins keep loading: their host table is a prefix
  EXPECT_EQ(check_abi(99, 0).value_or(""),
            "built for prowl ABI 99.0, host supports ABI 1.2 (major differs)");
  EXPECT_EQ(check_abi(PROWL_ABI_MAJOR, PROWL_ABI_MINOR + 1).value_or(""),
            "built for prowl ABI 1.3, newer than host ABI 1.2");
}

TEST(ManifestTest, ReadsTheManifestOfARealElfFile) {
  std::string error;
  auto m = read_manifest(std::filesystem::path("/proc/self/exe"), &error);
  ASSERT_TRUE(m) << error;
  EXPECT_EQ(m->name, "self-test");
  EXPECT_EQ(m->kind, PROWL_KIND_CODON);
  EXPECT_EQ(m->description, "the manifest test binary");
}

TEST(ManifestTest, RefusesNonElfAndTruncatedImages) {
  std::string error;
  const std::string text = "this is not a library\n";
  EXPECT_FALSE(read_manifest({reinterpret_cast<const uint8_t*>(text.data()), text.size()}, &error));
  EXPECT_EQ(error, "not an ELF file");

  std::vector<uint8_t> image = self_image();
  image.resize(image.size() / 2);
  EXPECT_FALSE(read_manifest(image, &error));
  EXPECT_EQ(error.rfind("truncated or corrupt ELF", 0), 0u) << error;

  image = self_image();
  image[EI_CLASS] = ELFCLASS32;
  EXPECT_FALSE(read_manifest(image, &error));
  EXPECT_EQ(error, "ELF class is 32-bit, host is 64-bit");
}

TEST(ManifestTest, ReportsMissingFiles) {
  std::string error;
  EXPECT_FALSE(read_manifest(std::filesystem::path("/nonexistent/prowl-x.so"), &error));
  EXPECT_EQ(error, "cannot read: No such file or directory");
  EXPECT_FALSE(read_manifest(std::filesystem::path("/"), &error));
  EXPECT_EQ(error, "not a regular file");
}

}  // namespace
}  // namespace prowl::plugins
