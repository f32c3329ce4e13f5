#include "host/base/identity/key_store.h"

#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include "host/base/encoding/hex.h"
#include "host/base/identity/spec_test_vectors.h"

namespace prowl::identity {
namespace {

namespace fs = std::filesystem;

// A fresh directory under the system temporary directory, removed afterwards.
class KeyStoreTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "prowl-keystore-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    data_dir_ = root_ / "data";
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path key_file() const { return data_dir_ / "identity.key"; }

  void write_key_file(const std::vector<uint8_t>& bytes, fs::perms perms) {
    fs::create_directories(data_dir_);
    std::ofstream(key_file(), std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    fs::permissions(key_file(), perms);
  }

  std::string load_error() {
    try {
      load_or_create_identity(data_dir_);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "no error";
  }

  fs::path root_;
  fs::path data_dir_;
};

TEST_F(KeyStoreTest, CreatesOwnerOnlyFileOnFirstUseAndReloadsIt) {
  const KeyPair created = load_or_create_identity(data_dir_);
  struct stat info {};
  ASSERT_EQ(::stat(key_file().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0600u);
  EXPECT_EQ(fs::file_size(key_file()), 68u);  // 08 01 12 40 + 64 bytes
  const KeyPair loaded = load_or_create_identity(data_dir_);
  EXPECT_EQ(loaded.public_key(), created.public_key());
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(data_dir_), fs::directory_iterator()), 1);
}

TEST_F(KeyStoreTest, LoadsAnExistingLibp2pKeyFile) {
  write_key_file(*encoding::hex_decode(test_vectors::kSpecPrivateKey),
                 fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(encoding::hex_encode(load_or_create_identity(data_dir_).public_key().raw()),
            test_vectors::kSpecRawPublicKey);
}

TEST_F(KeyStoreTest, RefusesFileReadableByOthers) {
  write_key_file(KeyPair::generate().private_to_protobuf(),
                 fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  const std::string error = load_error();
  EXPECT_NE(error.find(key_file().string()), std::string::npos) << error;
  EXPECT_NE(error.find("has mode 0640"), std::string::npos) << error;
  EXPECT_NE(error.find("chmod 600"), std::string::npos) << error;
}

TEST_F(KeyStoreTest, RefusesCorruptFileNamingFileAndProblem) {
  write_key_file({0x08, 0x01, 0x12}, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(load_error(),
            "identity file " + key_file().string() + ": corrupt: private key: malformed protobuf");
  write_key_file(std::vector<uint8_t>(5000, 0), fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(load_error(), "identity file " + key_file().string() +
                              ": corrupt: 5000 bytes, longer than any key");
}

TEST_F(KeyStoreTest, RefusesSymbolicLink) {
  fs::create_directories(data_dir_);
  fs::create_symlink(root_ / "elsewhere", key_file());
  EXPECT_EQ(load_error(), "identity file " + key_file().string() +
                              ": is a symbolic link; refusing to follow it");
}

}  // namespace
}  // namespace prowl::identity
