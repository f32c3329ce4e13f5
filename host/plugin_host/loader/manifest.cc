#include "host/plugin_host/loader/manifest.h"

#include <elf.h>
#include <gelf.h>
#include <libelf.h>

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

namespace prowl::plugins {
namespace {

constexpr unsigned char kHostElfClass = sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32;
constexpr unsigned char kHostElfData =
    std::endian::native == std::endian::little ? ELFDATA2LSB : ELFDATA2MSB;

/// The ELF machine this host runs on; EM_NONE when the build does not know it.
constexpr unsigned kHostMachine =
#if defined(__x86_64__)
    EM_X86_64;
#elif defined(__aarch64__)
    EM_AARCH64;
#elif defined(__i386__)
    EM_386;
#elif defined(__arm__)
    EM_ARM;
#elif defined(__riscv)
    EM_RISCV;
#elif defined(__powerpc64__)
    EM_PPC64;
#elif defined(__s390x__)
    EM_S390;
#else
    EM_NONE;
#endif

bool fail(std::string* error, std::string reason) {
  if (error != nullptr) *error = std::move(reason);
  return false;
}

/// Text safe to put on one log line: control and non-ASCII bytes as \xNN.
std::string printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      char esc[5];
      std::snprintf(esc, sizeof esc, "\\x%02x", c);
      out += esc;
    }
  }
  return out;
}

/// Reads a NUL-terminated text field of a fixed-size array.
bool read_text(const char* field, size_t cap, const char* what, bool one_line, std::string& out,
               std::string* error) {
  const void* nul = std::memchr(field, '\0', cap);
  if (nul == nullptr)
    return fail(error, std::string("manifest ") + what + " is not NUL-terminated within " +
                           std::to_string(cap) + " bytes");
  out.assign(field, static_cast<const char*>(nul));
  if (one_line) {
    for (unsigned char c : out) {
      if (c < 0x20 || c == 0x7f)
        return fail(error, std::string("manifest ") + what + " contains a control character");
    }
  }
  return true;
}

/// One libelf handle over a memory image, ended on scope exit.
class ElfHandle {
 public:
  explicit ElfHandle(std::span<const uint8_t> image) {
    static const bool initialised = elf_version(EV_CURRENT) != EV_NONE;
    if (!initialised) return;
    // libelf wants a mutable pointer; with ELF_C_READ semantics it does not write.
    elf_ = elf_memory(const_cast<char*>(reinterpret_cast<const char*>(image.data())), image.size());
  }
  ~ElfHandle() {
    if (elf_ != nullptr) elf_end(elf_);
  }
  ElfHandle(const ElfHandle&) = delete;
  ElfHandle& operator=(const ElfHandle&) = delete;
  Elf* get() const { return elf_; }

 private:
  Elf* elf_ = nullptr;
};

std::string elf_problem(const char* what) {
  return std::string("truncated or corrupt ELF: ") + what + ": " + elf_errmsg(-1);
}

/// True when [offset, offset+size) lies inside a file of file_size bytes.
bool within(uint64_t offset, uint64_t size, uint64_t file_size) {
  return offset <= file_size && size <= file_size - offset;
}

/// Looks for a defined dynamic symbol named `wanted` in a SHT_DYNSYM section.
bool defines_symbol(Elf* elf, Elf_Scn* scn, const GElf_Shdr& shdr, const char* wanted) {
  Elf_Data* data = elf_getdata(scn, nullptr);
  if (data == nullptr || shdr.sh_entsize == 0) return false;
  const size_t count = data->d_size / shdr.sh_entsize;
  for (size_t i = 0; i < count; ++i) {
    GElf_Sym sym;
    if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr) return false;
    if (sym.st_shndx == SHN_UNDEF) continue;
    const char* name = elf_strptr(elf, shdr.sh_link, sym.st_name);
    if (name != nullptr && std::strcmp(name, wanted) == 0) return true;
  }
  return false;
}

}  // namespace

bool is_valid_plugin_name(std::string_view name) noexcept {
  if (name.empty() || name.size() >= PROWL_NAME_MAX) return false;
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_or_digit(name[0])) return false;
  for (char c : name.substr(1)) {
    if (!lower_or_digit(c) && c != '_' && c != '-') return false;
  }
  return true;
}

std::string_view kind_name(uint32_t kind) noexcept {
  switch (kind) {
    case PROWL_KIND_ROLE: return "role";
    case PROWL_KIND_HUNT: return "hunt";
    case PROWL_KIND_CODEC: return "codec";
    case PROWL_KIND_CODON: return "codon";
    default: return "unknown";
  }
}

std::optional<std::string> check_abi(uint32_t abi_major, uint32_t abi_minor) {
  const std::string built = std::to_string(abi_major) + "." + std::to_string(abi_minor);
  const std::string host = std::to_string(PROWL_ABI_MAJOR) + "." + std::to_string(PROWL_ABI_MINOR);
  if (abi_major != PROWL_ABI_MAJOR)
    return "built for plugin ABI " + built + "; this host loads ABI " + std::to_string(PROWL_ABI_MAJOR) +
           ".x plugins: rebuild it against the prowl SDK " + std::to_string(PROWL_ABI_MAJOR);
  if (abi_minor > PROWL_ABI_MINOR)
    return "built for plugin ABI " + built + ", newer than this host's ABI " + host + ": update prowl";
  return std::nullopt;
}

namespace {

/// The first bytes of every ABI's manifest: magic and version.
struct ManifestHead {
  char magic[8];
  uint32_t abi_major;
  uint32_t abi_minor;
};

/// ABI 1's manifest, frozen: one plugin per library. Read only so that a
/// refused ABI 1 library can still be listed by name.
struct ManifestV1 {
  char magic[8];
  uint32_t abi_major;
  uint32_t abi_minor;
  uint32_t kind;
  uint32_t flags;
  char name[64];
  char version[32];
  char description[160];
};

/// Validates one plugin entry's texts, name and kind.
std::optional<Manifest> parse_plugin(uint32_t kind, const char (&name)[PROWL_NAME_MAX],
                                     const char (&version)[PROWL_VERSION_MAX],
                                     const char (&description)[PROWL_DESCRIPTION_MAX], std::string* error) {
  Manifest m;
  if (!read_text(name, sizeof name, "name", true, m.name, error) ||
      !read_text(version, sizeof version, "version", true, m.version, error) ||
      !read_text(description, sizeof description, "description", true, m.description, error)) {
    return std::nullopt;
  }
  if (!is_valid_plugin_name(m.name)) {
    fail(error, "manifest name '" + printable(m.name) + "' is invalid (must match [a-z0-9][a-z0-9_-]*)");
    return std::nullopt;
  }
  if (m.version.empty()) {
    fail(error, "manifest version of '" + m.name + "' is empty");
    return std::nullopt;
  }
  if (kind_name(kind) == "unknown") {
    fail(error, "unknown plugin kind " + std::to_string(kind) + " of '" + m.name + "'");
    return std::nullopt;
  }
  m.kind = static_cast<prowl_kind>(kind);
  return m;
}

}  // namespace

std::optional<LibraryManifest> parse_manifest_section(std::span<const uint8_t> section, std::string* error) {
  ManifestHead head;
  if (section.size() < sizeof head) {
    fail(error, "section " PROWL_MANIFEST_SECTION " holds " + std::to_string(section.size()) +
                    " bytes, too few for a manifest");
    return std::nullopt;
  }
  std::memcpy(&head, section.data(), sizeof head);
  if (std::memcmp(head.magic, PROWL_MANIFEST_MAGIC, sizeof head.magic) != 0) {
    fail(error, "manifest magic is not " PROWL_MANIFEST_MAGIC);
    return std::nullopt;
  }
  LibraryManifest library{head.abi_major, head.abi_minor, {}};
  if (head.abi_major == 1 && section.size() == sizeof(ManifestV1)) {
    ManifestV1 v1;
    std::memcpy(&v1, section.data(), sizeof v1);
    std::string ignored;  // a damaged ABI 1 manifest is refused for its ABI all the same
    if (auto m = parse_plugin(v1.kind, v1.name, v1.version, v1.description, &ignored)) {
      m->abi_major = head.abi_major;
      m->abi_minor = head.abi_minor;
      library.plugins.push_back(std::move(*m));
    }
  }
  if (head.abi_major != PROWL_ABI_MAJOR) return library;  // check_abi says why it cannot load

  if (section.size() != sizeof(prowl_manifest)) {
    fail(error, "section " PROWL_MANIFEST_SECTION " holds " + std::to_string(section.size()) +
                    " bytes, expected " + std::to_string(sizeof(prowl_manifest)));
    return std::nullopt;
  }
  prowl_manifest raw;
  std::memcpy(&raw, section.data(), sizeof raw);
  if (raw.plugin_size != sizeof(prowl_manifest_plugin)) {
    fail(error, "manifest plugin_size is " + std::to_string(raw.plugin_size) + ", expected " +
                    std::to_string(sizeof(prowl_manifest_plugin)));
    return std::nullopt;
  }
  if (raw.plugin_count < 1 || raw.plugin_count > PROWL_MAX_PLUGINS) {
    fail(error, "manifest lists " + std::to_string(raw.plugin_count) + " plugins, expected 1 to " +
                    std::to_string(PROWL_MAX_PLUGINS));
    return std::nullopt;
  }
  for (uint32_t i = 0; i < raw.plugin_count; ++i) {
    const prowl_manifest_plugin& p = raw.plugins[i];
    auto m = parse_plugin(p.kind, p.name, p.version, p.description, error);
    if (!m) return std::nullopt;
    for (const Manifest& before : library.plugins) {
      if (before.name == m->name) {
        fail(error, "manifest lists plugin '" + m->name + "' twice");
        return std::nullopt;
      }
    }
    m->abi_major = head.abi_major;
    m->abi_minor = head.abi_minor;
    library.plugins.push_back(std::move(*m));
  }
  return library;
}

std::optional<PluginImage> inspect_plugin_image(std::span<const uint8_t> image,
                                                std::string* error) {
  if (image.size() < EI_NIDENT || std::memcmp(image.data(), ELFMAG, SELFMAG) != 0) {
    fail(error, "not an ELF file");
    return std::nullopt;
  }
  if (image[EI_CLASS] != kHostElfClass) {
    fail(error, std::string("ELF class is ") + (image[EI_CLASS] == ELFCLASS32 ? "32" : "not 64") +
                    "-bit, host is " + (kHostElfClass == ELFCLASS64 ? "64" : "32") + "-bit");
    return std::nullopt;
  }
  if (image[EI_DATA] != kHostElfData) {
    fail(error, "ELF byte order differs from the host's");
    return std::nullopt;
  }
  ElfHandle handle(image);
  Elf* elf = handle.get();
  if (elf == nullptr || elf_kind(elf) != ELF_K_ELF) {
    fail(error, elf_problem("cannot parse the ELF header"));
    return std::nullopt;
  }
  GElf_Ehdr ehdr;
  if (gelf_getehdr(elf, &ehdr) == nullptr) {
    fail(error, elf_problem("cannot read the ELF header"));
    return std::nullopt;
  }
  if (ehdr.e_type != ET_DYN) {
    fail(error, "not a shared library (ELF type " + std::to_string(ehdr.e_type) + ")");
    return std::nullopt;
  }
  if (kHostMachine != EM_NONE && ehdr.e_machine != kHostMachine) {
    fail(error, "built for ELF machine " + std::to_string(ehdr.e_machine) + ", host is " +
                    std::to_string(kHostMachine));
    return std::nullopt;
  }
  size_t section_count = 0;
  if (elf_getshdrnum(elf, &section_count) != 0) {
    fail(error, elf_problem("cannot count sections"));
    return std::nullopt;
  }
  if (ehdr.e_shentsize == 0 || section_count > image.size() / ehdr.e_shentsize ||
      !within(ehdr.e_shoff, uint64_t{section_count} * ehdr.e_shentsize, image.size())) {
    fail(error, "truncated or corrupt ELF: section headers end past the file size " +
                    std::to_string(image.size()));
    return std::nullopt;
  }
  size_t names_index = 0;
  if (elf_getshdrstrndx(elf, &names_index) != 0) {
    fail(error, elf_problem("no section name table"));
    return std::nullopt;
  }
  std::optional<LibraryManifest> manifest;
  bool exports_entry = false;
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr) {
      fail(error, elf_problem("cannot read a section header"));
      return std::nullopt;
    }
    if (shdr.sh_type != SHT_NOBITS && !within(shdr.sh_offset, shdr.sh_size, image.size())) {
      fail(error, "truncated or corrupt ELF: section " + std::to_string(elf_ndxscn(scn)) +
                      " ends past the file size " + std::to_string(image.size()));
      return std::nullopt;
    }
    if (shdr.sh_type == SHT_DYNSYM && !exports_entry) {
      exports_entry = defines_symbol(elf, scn, shdr, PROWL_ENTRY_SYMBOL);
      continue;
    }
    const char* name = elf_strptr(elf, names_index, shdr.sh_name);
    if (name == nullptr) {
      fail(error, elf_problem("bad section name"));
      return std::nullopt;
    }
    if (std::strcmp(name, PROWL_MANIFEST_SECTION) != 0) continue;
    if (manifest) {
      fail(error, "more than one " PROWL_MANIFEST_SECTION " section");
      return std::nullopt;
    }
    if (shdr.sh_type == SHT_NOBITS) {
      fail(error, "section " PROWL_MANIFEST_SECTION " holds no file data");
      return std::nullopt;
    }
    manifest = parse_manifest_section(image.subspan(shdr.sh_offset, shdr.sh_size), error);
    if (!manifest) return std::nullopt;
  }
  if (!manifest) {
    fail(error, "no " PROWL_MANIFEST_SECTION " section (not a prowl plugin)");
    return std::nullopt;
  }
  return PluginImage{std::move(*manifest), exports_entry};
}

std::optional<LibraryManifest> read_manifest(std::span<const uint8_t> image, std::string* error) {
  auto info = inspect_plugin_image(image, error);
  if (!info) return std::nullopt;
  return std::move(info->manifest);
}

std::optional<LibraryManifest> read_manifest(const std::filesystem::path& path, std::string* error) {
  std::vector<uint8_t> image;
  if (std::string why; !read_plugin_file(path, image, &why)) {
    fail(error, std::move(why));
    return std::nullopt;
  }
  return read_manifest(image, error);
}

bool read_plugin_file(const std::filesystem::path& path, std::vector<uint8_t>& image,
                      std::string* error) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec) return fail(error, "cannot read: " + ec.message());
  if (!std::filesystem::is_regular_file(status)) return fail(error, "not a regular file");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(error, "cannot read: " + ec.message());
  if (size > kMaxPluginFileSize)
    return fail(error, "file is larger than " + std::to_string(kMaxPluginFileSize >> 20) + " MiB");
  std::ifstream in(path, std::ios::binary);
  image.resize(static_cast<size_t>(size));
  if (!in || !in.read(reinterpret_cast<char*>(image.data()), static_cast<std::streamsize>(size)))
    return fail(error, "cannot read: " + std::string(std::strerror(errno)));
  return true;
}

}  // namespace prowl::plugins
