#include "plugins/codecs/lz4/lz4_codec.h"

#include <lz4.h>
#include <lz4hc.h>

#include "plugins/codecs/common/codec_support.h"

namespace prowl::codecs {
namespace {

constexpr size_t kBlockLimit = LZ4_MAX_INPUT_SIZE;

}  // namespace

std::string Lz4Codec::compress(std::span<const uint8_t> in, int32_t level, Output& out) {
  const int32_t lv = checked_level(kName, level, kMinLevel, kMaxLevel);
  if (in.size() > kBlockLimit) {
    throw LimitExceeded("lz4: input of " + std::to_string(in.size()) +
                        " bytes is over the block limit of " + std::to_string(kBlockLimit));
  }
  const int src_size = static_cast<int>(in.size());
  const int bound = LZ4_compressBound(src_size);
  auto dst = reserve_exactly(out, static_cast<size_t>(bound), kName);
  const auto* src = reinterpret_cast<const char*>(data_or_empty(in));
  auto* dst_chars = reinterpret_cast<char*>(dst.data());
  const int n = lv >= LZ4HC_CLEVEL_MIN
                    ? LZ4_compress_HC(src, dst_chars, src_size, bound, lv)
                    : LZ4_compress_fast(src, dst_chars, src_size, bound, lv < 0 ? -lv : 1);
  if (n <= 0) throw Error(PROWL_ERR_INTERNAL, "lz4: compression failed");
  out.commit(static_cast<size_t>(n));
  return std::string(kName);
}

void Lz4Codec::decompress(std::span<const uint8_t> in, size_t original_size, Output& out) {
  if (original_size > kBlockLimit) {
    fail(kName, "original size " + std::to_string(original_size) +
                    " is over the block limit of " + std::to_string(kBlockLimit));
  }
  if (in.size() > kBlockLimit) {
    fail(kName, "block of " + std::to_string(in.size()) + " bytes is over the block limit");
  }
  auto dst = reserve_exactly(out, original_size, kName);
  // The safe decoder never writes past dst.size() and fails unless the block
  // ends exactly at the end of the input.
  const int n = LZ4_decompress_safe(reinterpret_cast<const char*>(data_or_empty(in)),
                                    reinterpret_cast<char*>(dst.data()),
                                    static_cast<int>(in.size()), static_cast<int>(dst.size()));
  if (n < 0) {
    fail(kName, "malformed block (decoding stopped at input byte " + std::to_string(-(n + 1)) +
                    "): corrupt, truncated, followed by trailing bytes, or expanding past " +
                    std::to_string(original_size) + " bytes");
  }
  check_produced(kName, static_cast<size_t>(n), original_size);
  out.commit(static_cast<size_t>(n));
}

}  // namespace prowl::codecs
