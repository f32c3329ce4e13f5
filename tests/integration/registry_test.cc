// The plugin loader against real shared libraries: one fixture per refusal
// reason (exact text), an ABI 1 library, libraries whose entry does not match
// their manifest, a library of several plugins, plugins that fail later, the
// host functions, the codec and codon services, and every plugin the build
// ships.
#include <elf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <fstream>
#include <mutex>

#include "host/plugin_host/codec/codec_service.h"
#include "host/plugin_host/codec/frame.h"
#include "host/plugin_host/codon/codon_service.h"
#include "host/plugin_host/loader/registry.h"

namespace prowl {
namespace {

namespace fs = std::filesystem;
using plugins::PluginRecord;
using plugins::Registry;
using plugins::RegistryOptions;

const fs::path kFixtures = PROWL_FIXTURE_DIR;

fs::path fixture(const std::string& target) { return kFixtures / ("prowl-" + target + ".so"); }

/// A fresh private directory (mode 0755) that plugin files are copied into.
class PluginDir {
 public:
  PluginDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("prowl-registry-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
    fs::permissions(path_, fs::perms(0755));
  }
  ~PluginDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  PluginDir(const PluginDir&) = delete;
  PluginDir& operator=(const PluginDir&) = delete;

  /// Copies a built fixture in under `name` (default: its own file name).
  fs::path add(const std::string& target, std::string name = {}) {
    const fs::path from = fixture(target);
    const fs::path to = path_ / (name.empty() ? from.filename().string() : name);
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    fs::permissions(to, fs::perms(0755));
    return to;
  }
  /// Writes a file with the given bytes (mode 0755).
  fs::path write(const std::string& name, const std::string& bytes) {
    const fs::path to = path_ / name;
    std::ofstream(to, std::ios::binary) << bytes;
    fs::permissions(to, fs::perms(0755));
    return to;
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& file) {
  std::string bytes(fs::file_size(file), '\0');
  std::ifstream(file, std::ios::binary).read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

std::string refusal_of(const fs::path& file) {
  Registry registry;
  const PluginRecord& record = registry.load_file(file);
  EXPECT_FALSE(record.loaded);
  EXPECT_EQ(record.refusal.find('\n'), std::string::npos);
  return record.refusal;
}

std::vector<uint8_t> bytes_of(std::string_view text) { return {text.begin(), text.end()}; }

TEST(RegistryRefusalTest, NotASharedLibrary) {
  PluginDir dir;
  EXPECT_EQ(refusal_of(dir.write("prowl-text.so", "just some text\n")), "not an ELF file");
}

TEST(RegistryRefusalTest, TruncatedCopyOfARealPlugin) {
  PluginDir dir;
  const std::string whole = read_file(fixture("fixture_deflate"));
  const std::string half = whole.substr(0, whole.size() / 2);
  EXPECT_EQ(refusal_of(dir.write("prowl-truncated.so", half)),
            "truncated or corrupt ELF: section headers end past the file size " +
                std::to_string(half.size()));
}

TEST(RegistryRefusalTest, CorruptSectionTable) {
  PluginDir dir;
  std::string image = read_file(fixture("fixture_deflate"));
  Elf64_Ehdr ehdr;
  std::memcpy(&ehdr, image.data(), sizeof ehdr);
  ehdr.e_shstrndx = static_cast<Elf64_Half>(ehdr.e_shnum + 5);
  std::memcpy(image.data(), &ehdr, sizeof ehdr);
  const std::string refusal = refusal_of(dir.write("prowl-corrupt.so", image));
  EXPECT_EQ(refusal.rfind("truncated or corrupt ELF: ", 0), 0u) << refusal;
}

TEST(RegistryRefusalTest, AbiMajorDiffers) {
  EXPECT_EQ(refusal_of(fixture("fixture_abi99")),
            "built for plugin ABI 99.0; this host loads ABI 2.x plugins: rebuild it against the prowl SDK 2");
}

TEST(RegistryRefusalTest, AnAbi1LibraryIsRefusedNamingItsAbi) {
  // Built as the SDK 1 built plugins: refused without running its code,
  // listed under the name its ABI 1 manifest gives.
  Registry registry;
  const PluginRecord& record = registry.load_file(fixture("fixture_abi1"));
  EXPECT_FALSE(record.loaded);
  EXPECT_EQ(record.refusal,
            "built for plugin ABI 1.2; this host loads ABI 2.x plugins: rebuild it against the prowl SDK 2");
  ASSERT_TRUE(record.manifest.has_value());
  EXPECT_EQ(record.manifest->name, "old-codec");
  EXPECT_EQ(record.manifest->kind, PROWL_KIND_CODEC);
  EXPECT_EQ(record.manifest->abi_major, 1u);
  EXPECT_EQ(record.manifest->abi_minor, 2u);
  EXPECT_EQ(registry.records().size(), 1u);
}

TEST(RegistryRefusalTest, AbiMinorNewer) {
  EXPECT_EQ(refusal_of(fixture("fixture_newer_minor")),
            "built for plugin ABI 2.1, newer than this host's ABI 2.0: update prowl");
}

TEST(RegistryRefusalTest, TheHostsMinorLoads) {
  // A raw C library declaring ABI 2.0 (the oldest ABI 2 minor) loads.
  Registry registry;
  const PluginRecord& record = registry.load_file(fixture("fixture_minor0"));
  EXPECT_TRUE(record.loaded) << record.refusal;
  ASSERT_TRUE(record.manifest.has_value());
  EXPECT_EQ(record.manifest->abi_minor, 0u);
}

TEST(RegistryRefusalTest, UnknownKind) {
  EXPECT_EQ(refusal_of(fixture("fixture_kind42")), "unknown plugin kind 42 of 'kind42'");
}

TEST(RegistryRefusalTest, EntryThatDoesNotMatchItsManifest) {
  EXPECT_EQ(refusal_of(fixture("fixture_unregistered")),
            "the manifest lists codec 'unregistered' but the entry did not register it");
  EXPECT_EQ(refusal_of(fixture("fixture_wrong_kind")),
            "the entry registered 'wrong-kind' as role; the manifest lists it as codec");
  EXPECT_EQ(refusal_of(fixture("fixture_unlisted")),
            "the entry registered 'unlisted', which the manifest does not list");
}

TEST(RegistryRefusalTest, BadName) {
  EXPECT_EQ(refusal_of(fixture("fixture_bad_name")),
            "manifest name 'Bad.Name' is invalid (must match [a-z0-9][a-z0-9_-]*)");
}

TEST(RegistryRefusalTest, MissingEntrySymbol) {
  EXPECT_EQ(refusal_of(fixture("fixture_no_entry")), "missing entry symbol prowl_plugin_entry");
}

TEST(RegistryRefusalTest, InitReturnsAnError) {
  EXPECT_EQ(refusal_of(fixture("fixture_init_error")),
            "init failed (unsupported): fixture init refuses");
}

TEST(RegistryRefusalTest, InitThrows) {
  EXPECT_EQ(refusal_of(fixture("fixture_init_throws")),
            "init threw an exception: fixture init throws");
}

TEST(RegistryRefusalTest, DuplicateName) {
  PluginDir first;
  PluginDir second;
  const fs::path original = first.add("fixture_deflate");
  const fs::path copy = second.add("fixture_deflate", "prowl-other.so");
  Registry registry;
  EXPECT_TRUE(registry.load_file(original).loaded);
  const PluginRecord& record = registry.load_file(copy);
  EXPECT_FALSE(record.loaded);
  EXPECT_EQ(record.refusal,
            "duplicate plugin name 'fixture-deflate' (already loaded from " + original.string() + ")");
  ASSERT_TRUE(record.manifest);
  EXPECT_EQ(record.manifest->name, "fixture-deflate");
}

TEST(RegistryRefusalTest, WritableByOthers) {
  PluginDir dir;
  const fs::path file = dir.add("fixture_deflate");
  fs::permissions(file, fs::perms(0666));
  EXPECT_EQ(refusal_of(file), "file is writable by group or others (mode 0666)");
  fs::permissions(file, fs::perms(0775));
  EXPECT_EQ(refusal_of(file), "file is writable by group or others (mode 0775)");
  fs::permissions(file, fs::perms(0755));
  fs::permissions(dir.path(), fs::perms(0777));
  EXPECT_EQ(refusal_of(file),
            "directory " + dir.path().string() + " is writable by group or others (mode 0777)");
  fs::permissions(dir.path(), fs::perms(0755));
}

TEST(RegistryTest, DirectoryLoadKeepsGoingPastBadPlugins) {
  PluginDir dir;
  dir.add("fixture_abi99");
  dir.add("fixture_deflate");
  dir.add("fixture_init_throws");
  dir.add("fixture_codon");
  dir.write("README.txt", "not a plugin and not named *.so: ignored\n");
  Registry registry;
  registry.load_directory(dir.path());
  ASSERT_EQ(registry.records().size(), 4u);
  EXPECT_FALSE(registry.records()[0].loaded);  // prowl-fixture_abi99.so
  ASSERT_TRUE(registry.records()[0].manifest);
  EXPECT_EQ(registry.records()[0].manifest->abi_major, 99u);
  EXPECT_TRUE(registry.records()[1].loaded);   // prowl-fixture_codon.so
  EXPECT_TRUE(registry.records()[2].loaded);   // prowl-fixture_deflate.so
  EXPECT_FALSE(registry.records()[3].loaded);  // prowl-fixture_init_throws.so
  EXPECT_NE(registry.find(PROWL_KIND_CODEC, "fixture-deflate"), nullptr);
  EXPECT_NE(registry.find(PROWL_KIND_CODON, "fixture-codon"), nullptr);
  EXPECT_EQ(registry.find(PROWL_KIND_CODON, "fixture-deflate"), nullptr);
  EXPECT_EQ(registry.codec_names(), std::vector<std::string>{"fixture-deflate"});
  EXPECT_THROW(registry.load_directory(dir.path() / "missing"), plugins::RegistryError);
}

TEST(RegistryTest, ALibraryOfSeveralPluginsOfSeveralKinds) {
  std::mutex mutex;
  std::vector<std::string> lines;
  RegistryOptions options;
  options.log = [&](std::string_view plugin, prowl_log_level, std::string_view message) {
    std::lock_guard lock(mutex);
    lines.push_back(std::string(plugin) + ": " + std::string(message));
  };
  Registry registry(options);
  const PluginRecord& first = registry.load_file(fixture("fixture_pack"));
  EXPECT_TRUE(first.loaded) << first.refusal;
  ASSERT_EQ(registry.records().size(), 4u);
  const std::vector<std::pair<std::string, prowl_kind>> listed = {{"pack-xor", PROWL_KIND_CODEC},
                                                                  {"pack-left", PROWL_KIND_ROLE},
                                                                  {"pack-right", PROWL_KIND_ROLE},
                                                                  {"pack-hunt", PROWL_KIND_HUNT}};
  for (size_t i = 0; i < listed.size(); ++i) {
    const PluginRecord& record = registry.records()[i];
    ASSERT_TRUE(record.manifest);
    EXPECT_EQ(record.manifest->name, listed[i].first);
    EXPECT_EQ(record.manifest->kind, listed[i].second);
    EXPECT_TRUE(record.loaded);
    EXPECT_NE(registry.find(listed[i].second, listed[i].first), nullptr) << listed[i].first;
  }
  codec::CodecService codecs(registry);
  const auto data = bytes_of("one library, several plugins");
  EXPECT_EQ(codecs.decompress(codecs.compress("pack-xor", data)), data);

  // Without a pub/sub service the roles degrade; the hunt has its own lifecycle.
  for (const char* name : {"pack-left", "pack-right"}) {
    const plugins::Plugin* role = registry.find(PROWL_KIND_ROLE, name);
    ASSERT_TRUE(role->start().ok());
    registry.stop_agent(*role);
  }
  const plugins::Plugin* hunt = registry.find(PROWL_KIND_HUNT, "pack-hunt");
  ASSERT_TRUE(hunt->start().ok());
  registry.stop_agent(*hunt);
  std::lock_guard lock(mutex);
  const std::vector<std::string> expected = {
      "pack-left: no pub/sub: pubsub_subscribe: this host runs no such service",
      "pack-right: no pub/sub: pubsub_subscribe: this host runs no such service", "pack-hunt: hunt started",
      "pack-hunt: hunt stopped"};
  EXPECT_EQ(lines, expected);
}

TEST(RegistryTest, ALibraryIsRefusedWholeWhenOneOfItsNamesIsTaken) {
  PluginDir first;
  PluginDir second;
  const fs::path original = first.add("fixture_pack");
  const fs::path copy = second.add("fixture_pack", "prowl-pack-copy.so");
  Registry registry;
  EXPECT_TRUE(registry.load_file(original).loaded);
  registry.load_file(copy);
  ASSERT_EQ(registry.records().size(), 8u);
  for (size_t i = 4; i < 8; ++i) {
    EXPECT_FALSE(registry.records()[i].loaded);
    EXPECT_EQ(registry.records()[i].refusal,
              "duplicate plugin name 'pack-xor' (already loaded from " + original.string() + ")");
  }
}

TEST(RegistryTest, APluginFailingLaterFailsOnlyThatCall) {
  Registry registry;
  ASSERT_TRUE(registry.load_file(fixture("fixture_fails_later")).loaded);
  ASSERT_TRUE(registry.load_file(fixture("fixture_deflate")).loaded);
  codec::CodecService codecs(registry);
  const auto data = bytes_of("hello hello hello hello");
  try {
    codecs.compress("fails-later", data);
    FAIL() << "compress should have thrown";
  } catch (const codec::CodecError& e) {
    EXPECT_STREQ(e.what(),
                 "compress with 'fails-later': plugin 'fails-later' threw an exception: fixture "
                 "compress throws");
  }
  auto frame = codec::encode_frame_header("fails-later", 3);
  frame.push_back(0);
  try {
    codecs.decompress(frame);
    FAIL() << "decompress should have thrown";
  } catch (const codec::CodecError& e) {
    EXPECT_STREQ(e.what(),
                 "decompress with 'fails-later': plugin 'fails-later' failed (invalid input): "
                 "fixture decompress fails");
  }
  EXPECT_EQ(codecs.decompress(codecs.compress("fixture-deflate", data)), data);
}

TEST(CodecServiceTest, RoundTripsAndBoundsDecompression) {
  Registry registry;
  ASSERT_TRUE(registry.load_file(fixture("fixture_deflate")).loaded);
  codec::CodecService codecs(registry, codec::Limits{1 << 20});
  std::vector<uint8_t> data(100000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7 / 13);
  for (int level : {0, 1, 9}) {
    auto frame = codecs.compress("fixture-deflate", data, level);
    std::string error;
    auto header = codec::parse_frame_header(frame, &error);
    ASSERT_TRUE(header) << error;
    EXPECT_EQ(header->codec, "fixture-deflate");
    EXPECT_EQ(header->original_size, data.size());
    EXPECT_LT(frame.size(), data.size());
    EXPECT_EQ(codecs.decompress(frame), data);
  }
  EXPECT_EQ(codecs.decompress(codecs.compress("fixture-deflate", {})), std::vector<uint8_t>{});

  // A frame declaring more than the limit is refused before any allocation.
  auto bomb = codec::encode_frame_header("fixture-deflate", uint64_t{1} << 40);
  EXPECT_THROW(
      {
        try {
          codecs.decompress(bomb);
        } catch (const codec::CodecError& e) {
          EXPECT_STREQ(e.what(),
                       "frame declares 1099511627776 bytes of output, over the limit of 1048576");
          throw;
        }
      },
      codec::CodecError);

  // A frame lying about its length (payload expands further) is refused.
  auto real = codecs.compress("fixture-deflate", data);
  auto header = codec::parse_frame_header(real, nullptr);
  ASSERT_TRUE(header);
  auto lying = codec::encode_frame_header("fixture-deflate", 1000);
  lying.insert(lying.end(), real.begin() + static_cast<std::ptrdiff_t>(header->header_size), real.end());
  try {
    codecs.decompress(lying);
    FAIL() << "a lying length must be refused";
  } catch (const codec::CodecError& e) {
    EXPECT_STREQ(e.what(),
                 "decompress with 'fixture-deflate': plugin 'fixture-deflate' failed (invalid "
                 "input): data does not expand to exactly 1000 bytes");
  }

  try {
    codecs.compress("nope", data);
    FAIL() << "an unknown codec must be refused";
  } catch (const codec::CodecError& e) {
    EXPECT_STREQ(e.what(), "no codec named 'nope' is loaded (loaded: fixture-deflate)");
  }
}

TEST(HostServicesTest, DelegationConfigAndLogsGoThroughTheHostFunctions) {
  std::mutex mutex;
  std::vector<std::string> keys;
  std::vector<std::string> lines;
  RegistryOptions options;
  options.config_lookup = [&](std::string_view key) -> std::optional<std::string> {
    std::lock_guard lock(mutex);
    keys.emplace_back(key);
    if (key == "plugins.fixture-role.greeting") return std::string("hello pack");
    return std::nullopt;
  };
  options.log = [&](std::string_view plugin, prowl_log_level level, std::string_view message) {
    std::lock_guard lock(mutex);
    lines.push_back(std::string(plugin) + "/" + std::to_string(level) + "/" + std::string(message));
  };
  for (int round = 0; round < 2; ++round) {
    // The second registry loads the same libraries again: same mappings,
    // same plugin contexts, now routed to the new registry.
    Registry registry(options);
    ASSERT_TRUE(registry.load_file(fixture("fixture_delegate")).loaded);
    ASSERT_TRUE(registry.load_file(fixture("fixture_deflate")).loaded);
    ASSERT_TRUE(registry.load_file(fixture("fixture_role")).loaded);
    codec::CodecService codecs(registry);
    const auto data = bytes_of(std::string(5000, 'x') + "tail");
    auto frame = codecs.compress("fixture-delegate", data);
    auto header = codec::parse_frame_header(frame, nullptr);
    ASSERT_TRUE(header);
    EXPECT_EQ(header->codec, "fixture-deflate");
    EXPECT_EQ(codecs.decompress(frame), data);

    const plugins::Plugin* role = registry.find(PROWL_KIND_ROLE, "fixture-role");
    ASSERT_NE(role, nullptr);
    ASSERT_TRUE(role->start().ok());
    role->stop();
  }
  std::lock_guard lock(mutex);
  EXPECT_EQ(std::count(keys.begin(), keys.end(), "plugins.fixture-delegate.codec"), 2);
  const std::vector<std::string> expected_lines = {
      "fixture-role/2/fixture role started, greeting=hello pack",
      "fixture-role/2/fixture role stopped",
      "fixture-role/2/fixture role started, greeting=hello pack",
      "fixture-role/2/fixture role stopped"};
  EXPECT_EQ(lines, expected_lines);
}

TEST(CodonServiceTest, RoundTripsAndReportsBadInput) {
  Registry registry;
  ASSERT_TRUE(registry.load_file(fixture("fixture_codon")).loaded);
  codon::CodonService codons(registry);
  const std::vector<uint8_t> data = {0x00, 0x1b, 0xff};
  EXPECT_EQ(codons.encode("fixture-codon", data), "AAAAACGTTTTT");
  EXPECT_EQ(codons.decode("fixture-codon", "AAAAACGTTTTT"), data);
  try {
    codons.decode("fixture-codon", "AAAAACGX");
    FAIL() << "an invalid base must be refused";
  } catch (const codon::CodonError& e) {
    EXPECT_STREQ(e.what(),
                 "decode with 'fixture-codon': plugin 'fixture-codon' failed (invalid input): "
                 "invalid base at position 7");
  }
  EXPECT_THROW(codons.encode("missing", data), codon::CodonError);
}

// Every plugin the build produced must load, and every codec and codon
// encoder among them must round-trip data through the services.
TEST(ShippedPluginsTest, AllLoadAndRoundTrip) {
  const fs::path dir = PROWL_PLUGIN_DIR;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    GTEST_SKIP() << "no plugins built yet in " << dir;
  }
  Registry registry;
  registry.load_directory(dir);
  for (const PluginRecord& record : registry.records()) {
    EXPECT_TRUE(record.loaded) << record.file << ": " << record.refusal;
  }
  codec::CodecService codecs(registry);
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "prowl pack " + std::to_string(i % 17) + "\n";
  const auto data = bytes_of(text);
  for (const std::string& name : registry.codec_names()) {
    SCOPED_TRACE(name);
    auto frame = codecs.compress(name, data);
    EXPECT_EQ(codecs.decompress(frame), data);
    EXPECT_EQ(codecs.decompress(codecs.compress(name, {})), std::vector<uint8_t>{});
  }
  // Codon encoders take different inputs (codon256: any bytes; semantic: a
  // JSON packet), so each gets every sample; at least one must encode, and
  // for each that does, decoding and encoding again gives the same codons.
  codon::CodonService codons(registry);
  const std::vector<std::vector<uint8_t>> samples = {
      std::vector<uint8_t>(data.begin(), data.begin() + 300),
      bytes_of(R"({"when":"IMMEDIATE","where":"MEMORY","how":"MERGE","what":"WEIGHTS"})")};
  for (const plugins::Plugin* encoder : registry.plugins(PROWL_KIND_CODON)) {
    SCOPED_TRACE(encoder->name());
    int encoded = 0;
    for (const auto& sample : samples) {
      std::string seq;
      try {
        seq = codons.encode(encoder->name(), sample);
      } catch (const codon::CodonError&) {
        continue;
      }
      ++encoded;
      EXPECT_EQ(seq.find_first_not_of("ACGT"), std::string::npos);
      const std::vector<uint8_t> decoded = codons.decode(encoder->name(), seq);
      EXPECT_EQ(codons.encode(encoder->name(), decoded), seq);
    }
    EXPECT_GT(encoded, 0) << "no sample input encodes";
  }
  if (registry.find(PROWL_KIND_CODON, "codon256") != nullptr) {
    EXPECT_EQ(codons.decode("codon256", codons.encode("codon256", data)), data);
  }
}

}  // namespace
}  // namespace prowl
