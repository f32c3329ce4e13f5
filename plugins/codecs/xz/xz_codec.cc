#include "plugins/codecs/xz/xz_codec.h"

#include <lzma.h>

#include <new>

#include "plugins/codecs/common/codec_support.h"

namespace prowl::codecs {

std::string XzCodec::compress(std::span<const uint8_t> in, int32_t level, Output& out) {
  const int32_t lv = checked_level(kName, level, kMinLevel, kMaxLevel);
  const uint32_t preset = lv == 0 ? LZMA_PRESET_DEFAULT : static_cast<uint32_t>(lv);
  const size_t bound = lzma_stream_buffer_bound(in.size());
  if (bound == 0) throw LimitExceeded("xz: input too large to compress");
  auto dst = reserve_exactly(out, bound, kName);
  size_t written = 0;
  const lzma_ret rc = lzma_easy_buffer_encode(preset, LZMA_CHECK_CRC64, nullptr, data_or_empty(in),
                                              in.size(), dst.data(), &written, dst.size());
  if (rc == LZMA_MEM_ERROR) throw std::bad_alloc();
  if (rc != LZMA_OK) throw Error(PROWL_ERR_INTERNAL, "xz: encoder error " + std::to_string(rc));
  out.commit(written);
  return std::string(kName);
}

void XzCodec::decompress(std::span<const uint8_t> in, size_t original_size, Output& out) {
  lzma_stream strm = LZMA_STREAM_INIT;
  // No LZMA_CONCATENATED: the decoder stops after the first stream.
  lzma_ret rc = lzma_stream_decoder(&strm, kDecoderMemLimit, 0);
  if (rc == LZMA_MEM_ERROR) throw std::bad_alloc();
  if (rc != LZMA_OK) throw Error(PROWL_ERR_INTERNAL, "xz: decoder setup error " + std::to_string(rc));
  struct End {
    lzma_stream* strm;
    ~End() { lzma_end(strm); }
  } end{&strm};

  auto dst = reserve_exactly(out, original_size, kName);
  strm.next_in = data_or_empty(in);
  strm.avail_in = in.size();
  strm.next_out = dst.data();
  strm.avail_out = dst.size();
  do {
    rc = lzma_code(&strm, LZMA_FINISH);
  } while (rc == LZMA_OK);
  const std::string where = " at input byte " + std::to_string(strm.total_in);
  switch (rc) {
    case LZMA_STREAM_END:
      break;
    case LZMA_BUF_ERROR:  // no progress possible: out of input or out of room
      if (strm.avail_in == 0) fail(kName, "stream truncated" + where);
      fail(kName, "stream expands past " + std::to_string(original_size) + " bytes");
    case LZMA_MEMLIMIT_ERROR:
      throw LimitExceeded("xz: stream needs " + std::to_string(lzma_memusage(&strm) >> 20) +
                          " MiB to decode, over the limit of " +
                          std::to_string(kDecoderMemLimit >> 20) + " MiB");
    case LZMA_MEM_ERROR:
      throw std::bad_alloc();
    case LZMA_FORMAT_ERROR:
      fail(kName, "not an .xz stream (bad magic bytes)");
    case LZMA_OPTIONS_ERROR:
      fail(kName, "unsupported stream options" + where);
    case LZMA_DATA_ERROR:
      fail(kName, "corrupt stream" + where);
    default:
      fail(kName, "decoder error " + std::to_string(rc) + where);
  }
  if (strm.avail_in != 0) {
    fail(kName, std::to_string(strm.avail_in) + " trailing bytes after the stream");
  }
  check_produced(kName, static_cast<size_t>(strm.total_out), original_size);
  out.commit(static_cast<size_t>(strm.total_out));
}

}  // namespace prowl::codecs
