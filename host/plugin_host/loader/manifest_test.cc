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
                                            2u,
                                            sizeof(prowl_manifest_plugin),
                                            {{PROWL_KIND_CODON, 0u, "self-test", "0.0.1", "the manifest test binary"},
                                             {PROWL_KIND_ROLE, 0u, "self-role", "0.0.2", "a second plugin"}}};

prowl_manifest valid_manifest() {
  prowl_manifest m{};
  std::memcpy(m.magic, PROWL_MANIFEST_MAGIC, sizeof m.magic);
  m.abi_major = PROWL_ABI_MAJOR;
  m.abi_minor = PROWL_ABI_MINOR;
  m.plugin_count = 1;
  m.plugin_size = sizeof(prowl_manifest_plugin);
  m.plugins[0].kind = PROWL_KIND_CODEC;
  std::strcpy(m.plugins[0].name, "zstd");
  std::strcpy(m.plugins[0].version, "1.5.4");
  std::strcpy(m.plugins[0].description, "Zstandard");
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
  ASSERT_EQ(m->plugins.size(), 1u);
  EXPECT_EQ(m->plugins[0].name, "zstd");
  EXPECT_EQ(m->plugins[0].version, "1.5.4");
  EXPECT_EQ(m->plugins[0].description, "Zstandard");
  EXPECT_EQ(m->plugins[0].kind, PROWL_KIND_CODEC);
  EXPECT_EQ(m->plugins[0].abi_major, uint32_t{PROWL_ABI_MAJOR});
  EXPECT_EQ(m->abi_major, uint32_t{PROWL_ABI_MAJOR});
}

TEST(ManifestTest, RefusesBadFields) {
  prowl_manifest m = valid_manifest();
  m.magic[0] = 'X';
  EXPECT_EQ(parse_error(m), "manifest magic is not PROWLPLG");

  m = valid_manifest();
  std::memset(m.plugins[0].name, 'a', sizeof m.plugins[0].name);
  EXPECT_EQ(parse_error(m), "manifest name is not NUL-terminated within 64 bytes");

  m = valid_manifest();
  std::strcpy(m.plugins[0].name, "Zstd");
  EXPECT_EQ(parse_error(m), "manifest name 'Zstd' is invalid (must match [a-z0-9][a-z0-9_-]*)");

  m = valid_manifest();
  std::strcpy(m.plugins[0].name, "-x");
  EXPECT_EQ(parse_error(m), "manifest name '-x' is invalid (must match [a-z0-9][a-z0-9_-]*)");

  m = valid_manifest();
  std::strcpy(m.plugins[0].description, "two\nlines");
  EXPECT_EQ(parse_error(m), "manifest description contains a control character");

  m = valid_manifest();
  m.plugins[0].version[0] = '\0';
  EXPECT_EQ(parse_error(m), "manifest version of 'zstd' is empty");

  m = valid_manifest();
  m.plugins[0].kind = 42;
  EXPECT_EQ(parse_error(m), "unknown plugin kind 42 of 'zstd'");

  m = valid_manifest();
  m.plugin_count = 0;
  EXPECT_EQ(parse_error(m), "manifest lists 0 plugins, expected 1 to 16");
  m.plugin_count = PROWL_MAX_PLUGINS + 1;
  EXPECT_EQ(parse_error(m), "manifest lists 17 plugins, expected 1 to 16");

  m = valid_manifest();
  m.plugin_size = 7;
  EXPECT_EQ(parse_error(m), "manifest plugin_size is 7, expected " + std::to_string(sizeof(prowl_manifest_plugin)));

  m = valid_manifest();
  m.plugin_count = 2;
  m.plugins[1] = m.plugins[0];
  EXPECT_EQ(parse_error(m), "manifest lists plugin 'zstd' twice");

  std::string error;
  const uint8_t short_section[8] = {'P', 'R', 'O', 'W', 'L', 'P', 'L', 'G'};
  EXPECT_FALSE(parse_manifest_section(short_section, &error));
  EXPECT_EQ(error, "section .prowl_manifest holds 8 bytes, too few for a manifest");
  const std::vector<uint8_t> truncated(reinterpret_cast<const uint8_t*>(&prowl_test_manifest),
                                       reinterpret_cast<const uint8_t*>(&prowl_test_manifest) + 100);
  EXPECT_FALSE(parse_manifest_section(truncated, &error));
  EXPECT_EQ(error, "section .prowl_manifest holds 100 bytes, expected " + std::to_string(sizeof(prowl_manifest)));
}

TEST(ManifestTest, OtherAbisAreReadOnlyForTheirVersion) {
  // ABI 1's frozen layout: magic, version, kind, flags, name, version, description.
  std::vector<uint8_t> v1(280, 0);  // sizeof the ABI 1 prowl_manifest
  std::memcpy(v1.data(), PROWL_MANIFEST_MAGIC, 8);
  const uint32_t fields[4] = {1, 2, PROWL_KIND_CODEC, 0};
  std::memcpy(v1.data() + 8, fields, sizeof fields);
  std::strcpy(reinterpret_cast<char*>(v1.data()) + 24, "old");
  std::strcpy(reinterpret_cast<char*>(v1.data()) + 88, "1.0.0");
  std::string error;
  auto old = parse_manifest_section(v1, &error);
  ASSERT_TRUE(old) << error;
  EXPECT_EQ(old->abi_major, 1u);
  EXPECT_EQ(old->abi_minor, 2u);
  ASSERT_EQ(old->plugins.size(), 1u);
  EXPECT_EQ(old->plugins[0].name, "old");

  prowl_manifest future = valid_manifest();
  future.abi_major = 3;
  future.plugin_count = 999;  // a layout this host does not know: not looked at
  auto later = parse_manifest_section({reinterpret_cast<const uint8_t*>(&future), sizeof future}, &error);
  ASSERT_TRUE(later) << error;
  EXPECT_EQ(later->abi_major, 3u);
  EXPECT_TRUE(later->plugins.empty());
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
  // ABI 1 libraries are refused, naming their ABI and what to do.
  EXPECT_EQ(check_abi(1, 2).value_or(""),
            "built for plugin ABI 1.2; this host loads ABI 2.x plugins: rebuild it against the prowl SDK 2");
  EXPECT_EQ(check_abi(99, 0).value_or(""),
            "built for plugin ABI 99.0; this host loads ABI 2.x plugins: rebuild it against the prowl SDK 2");
  EXPECT_EQ(check_abi(PROWL_ABI_MAJOR, PROWL_ABI_MINOR + 1).value_or(""),
            "built for plugin ABI 2.1, newer than this host's ABI 2.0: update prowl");
}

TEST(ManifestTest, ReadsTheManifestOfARealElfFile) {
  std::string error;
  auto m = read_manifest(std::filesystem::path("/proc/self/exe"), &error);
  ASSERT_TRUE(m) << error;
  ASSERT_EQ(m->plugins.size(), 2u);
  EXPECT_EQ(m->plugins[0].name, "self-test");
  EXPECT_EQ(m->plugins[0].kind, PROWL_KIND_CODON);
  EXPECT_EQ(m->plugins[0].description, "the manifest test binary");
  EXPECT_EQ(m->plugins[1].name, "self-role");
  EXPECT_EQ(m->plugins[1].kind, PROWL_KIND_ROLE);
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
