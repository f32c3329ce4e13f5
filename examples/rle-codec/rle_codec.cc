// "rle": a run-length codec in the PackBits format, as a prowl plugin.
//
// The compressed data is a sequence of packets, each starting with a header
// byte h:
//   0..127    h + 1 literal bytes follow;
//   129..255  the next byte is repeated 257 - h times (2..128);
//   128       invalid.
// Worst-case growth is one byte per 128 input bytes.
#include <prowl/sdk.hpp>

#include <algorithm>
#include <string>

namespace {

constexpr size_t kMaxRun = 128;

class RleCodec : public prowl::Codec {
 public:
  explicit RleCodec(prowl::Host&) {}

  std::string compress(std::span<const uint8_t> in, int32_t level, prowl::Output& out) override {
    if (level != 0) throw prowl::InvalidInput("rle has no levels; use level 0");
    const size_t bound = in.size() + in.size() / kMaxRun + 1;
    auto room = out.reserve(bound);
    size_t w = 0;
    size_t i = 0;
    while (i < in.size()) {
      const size_t run = run_length(in, i);
      if (run >= 2) {
        room[w++] = static_cast<uint8_t>(257 - run);
        room[w++] = in[i];
        i += run;
        continue;
      }
      // A literal packet ends where a run of two or more starts.
      size_t end = i + 1;
      while (end < in.size() && end - i < kMaxRun && run_length(in, end) < 2) ++end;
      room[w++] = static_cast<uint8_t>(end - i - 1);
      std::copy(in.begin() + static_cast<std::ptrdiff_t>(i), in.begin() + static_cast<std::ptrdiff_t>(end),
                room.begin() + static_cast<std::ptrdiff_t>(w));
      w += end - i;
      i = end;
    }
    out.commit(w);
    return {};
  }

  void decompress(std::span<const uint8_t> in, size_t original_size, prowl::Output& out) override {
    auto room = out.reserve(original_size);
    size_t w = 0;
    size_t i = 0;
    while (i < in.size()) {
      const uint8_t h = in[i];
      if (h == 128) throw prowl::InvalidInput("invalid packet header 128 at offset " + std::to_string(i));
      const size_t count = h < 128 ? size_t{h} + 1 : 257 - size_t{h};
      const size_t body = h < 128 ? count : 1;
      if (in.size() - i - 1 < body)
        throw prowl::InvalidInput("packet at offset " + std::to_string(i) + " is truncated");
      if (original_size - w < count)
        throw prowl::InvalidInput("data expands past the declared " + std::to_string(original_size) + " bytes");
      if (h < 128) {
        std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(i + 1), count,
                    room.begin() + static_cast<std::ptrdiff_t>(w));
      } else {
        std::fill_n(room.begin() + static_cast<std::ptrdiff_t>(w), count, in[i + 1]);
      }
      w += count;
      i += 1 + body;
    }
    if (w != original_size)
      throw prowl::InvalidInput("data expands to " + std::to_string(w) + " bytes, not the declared " +
                                std::to_string(original_size));
    out.commit(w);
  }

 private:
  /// Length of the run of equal bytes starting at `at`, at most kMaxRun.
  static size_t run_length(std::span<const uint8_t> in, size_t at) {
    size_t n = 1;
    while (at + n < in.size() && n < kMaxRun && in[at + n] == in[at]) ++n;
    return n;
  }
};

}  // namespace

PROWL_PLUGIN(RleCodec, "rle", "1.0.0", "run-length codec (PackBits format), an SDK example");
