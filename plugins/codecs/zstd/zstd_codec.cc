#include "plugins/codecs/zstd/zstd_codec.h"

#include <zstd.h>
#include <zstd_errors.h>

#include <memory>
#include <new>

#include "plugins/codecs/common/codec_support.h"

namespace prowl::codecs {
namespace {

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const noexcept { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* d) const noexcept { ZSTD_freeDCtx(d); }
};

// Contexts are reused per thread: creating one costs an allocation per call.
ZSTD_CCtx* thread_cctx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> cctx(ZSTD_createCCtx());
  if (!cctx) throw std::bad_alloc();
  return cctx.get();
}

ZSTD_DCtx* thread_dctx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> dctx(ZSTD_createDCtx());
  if (!dctx) throw std::bad_alloc();
  return dctx.get();
}

}  // namespace

int32_t ZstdCodec::min_level() noexcept { return ZSTD_minCLevel(); }
int32_t ZstdCodec::max_level() noexcept { return ZSTD_maxCLevel(); }

std::string ZstdCodec::compress(std::span<const uint8_t> in, int32_t level, Output& out) {
  const int32_t lv = checked_level(kName, level, min_level(), max_level());
  const size_t bound = ZSTD_compressBound(in.size());
  if (ZSTD_isError(bound)) throw LimitExceeded("zstd: input too large to compress");
  auto dst = reserve_exactly(out, bound, kName);
  const size_t n = ZSTD_compressCCtx(thread_cctx(), dst.data(), dst.size(), data_or_empty(in),
                                     in.size(), lv);
  if (ZSTD_isError(n)) throw Error(PROWL_ERR_INTERNAL, std::string("zstd: ") + ZSTD_getErrorName(n));
  out.commit(n);
  return std::string(kName);
}

void ZstdCodec::decompress(std::span<const uint8_t> in, size_t original_size, Output& out) {
  const uint8_t* src = data_or_empty(in);
  const size_t frame = ZSTD_findFrameCompressedSize(src, in.size());
  if (ZSTD_isError(frame)) {
    fail(kName, std::string("malformed or truncated frame: ") + ZSTD_getErrorName(frame));
  }
  if (frame != in.size()) {
    fail(kName, std::to_string(in.size() - frame) + " trailing bytes after the frame");
  }
  // A frame that states its size is checked before any output is reserved.
  const unsigned long long declared = ZSTD_getFrameContentSize(src, in.size());
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != original_size) {
    fail(kName, "frame declares " + std::to_string(declared) + " bytes, expected " +
                    std::to_string(original_size));
  }
  auto dst = reserve_exactly(out, original_size, kName);
  const size_t n = ZSTD_decompressDCtx(thread_dctx(), dst.data(), dst.size(), src, in.size());
  if (ZSTD_isError(n)) {
    if (ZSTD_getErrorCode(n) == ZSTD_error_dstSize_tooSmall) {
      fail(kName, "frame expands past " + std::to_string(original_size) + " bytes");
    }
    fail(kName, std::string("corrupt frame: ") + ZSTD_getErrorName(n));
  }
  check_produced(kName, n, original_size);
  out.commit(n);
}

}  // namespace prowl::codecs
