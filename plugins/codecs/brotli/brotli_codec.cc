#include "plugins/codecs/brotli/brotli_codec.h"

#include <brotli/decode.h>
#include <brotli/encode.h>

#include <memory>
#include <new>

#include "plugins/codecs/common/codec_support.h"

namespace prowl::codecs {
namespace {

struct DecoderFree {
  void operator()(BrotliDecoderState* s) const noexcept { BrotliDecoderDestroyInstance(s); }
};

}  // namespace

std::string BrotliCodec::compress(std::span<const uint8_t> in, int32_t level, Output& out) {
  const int32_t lv = checked_level(kName, level, kMinLevel, kMaxLevel);
  const size_t bound = BrotliEncoderMaxCompressedSize(in.size());
  if (bound == 0) throw LimitExceeded("brotli: input too large to compress");
  auto dst = reserve_exactly(out, bound, kName);
  size_t written = dst.size();
  if (BrotliEncoderCompress(lv == 0 ? BROTLI_DEFAULT_QUALITY : lv, BROTLI_DEFAULT_WINDOW,
                            BROTLI_MODE_GENERIC, in.size(), data_or_empty(in), &written,
                            dst.data()) != BROTLI_TRUE) {
    throw Error(PROWL_ERR_INTERNAL, "brotli: compression failed");
  }
  out.commit(written);
  return std::string(kName);
}

void BrotliCodec::decompress(std::span<const uint8_t> in, size_t original_size, Output& out) {
  std::unique_ptr<BrotliDecoderState, DecoderFree> state(
      BrotliDecoderCreateInstance(nullptr, nullptr, nullptr));
  if (!state) throw std::bad_alloc();
  auto dst = reserve_exactly(out, original_size, kName);
  size_t avail_in = in.size();
  const uint8_t* next_in = data_or_empty(in);
  size_t avail_out = dst.size();
  uint8_t* next_out = dst.data();
  const BrotliDecoderResult result = BrotliDecoderDecompressStream(
      state.get(), &avail_in, &next_in, &avail_out, &next_out, nullptr);
  const size_t consumed = in.size() - avail_in;
  switch (result) {
    case BROTLI_DECODER_RESULT_SUCCESS:
      break;
    case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
      fail(kName, "stream truncated after " + std::to_string(consumed) + " bytes");
    case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
      fail(kName, "stream expands past " + std::to_string(original_size) + " bytes");
    default:
      fail(kName, "corrupt stream near input byte " + std::to_string(consumed) + ": " +
                      BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state.get())));
  }
  if (avail_in != 0) fail(kName, std::to_string(avail_in) + " trailing bytes after the stream");
  const size_t produced = dst.size() - avail_out;
  check_produced(kName, produced, original_size);
  out.commit(produced);
}

}  // namespace prowl::codecs
