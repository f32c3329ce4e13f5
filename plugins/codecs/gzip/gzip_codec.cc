#include "plugins/codecs/gzip/gzip_codec.h"

#include <zlib.h>

#include <algorithm>
#include <limits>
#include <new>
#include <span>

#include "plugins/codecs/common/codec_support.h"

namespace prowl::codecs {
namespace {

// windowBits 15 plus 16 selects the gzip wrapper (and only it).
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kMemLevel = 8;

// zlib counts in uInt; larger buffers are handed over in pieces.
uInt take_piece(size_t& left) noexcept {
  const size_t piece = std::min<size_t>(left, std::numeric_limits<uInt>::max());
  left -= piece;
  return static_cast<uInt>(piece);
}

// Points `zs` at `in` and `dst`, then calls `step(input_all_given)` (deflate or
// inflate) while it returns Z_OK, refilling zlib's counters piece by piece.
// Returns the last result; `in_left` is the input never handed to zlib.
template <typename Step>
int pump(z_stream& zs, std::span<const uint8_t> in, std::span<uint8_t> dst, size_t& in_left, Step step) {
  zs.next_in = const_cast<Bytef*>(data_or_empty(in));
  zs.next_out = dst.data();
  in_left = in.size();
  size_t out_left = dst.size();
  int rc;
  do {
    if (zs.avail_in == 0) zs.avail_in = take_piece(in_left);
    if (zs.avail_out == 0) zs.avail_out = take_piece(out_left);
    rc = step(in_left == 0);
  } while (rc == Z_OK);
  return rc;
}

std::string zlib_message(const z_stream& zs, int rc) {
  return zs.msg != nullptr ? zs.msg : "zlib error " + std::to_string(rc);
}

}  // namespace

std::string GzipCodec::compress(std::span<const uint8_t> in, int32_t level, Output& out) {
  const int32_t lv = checked_level(kName, level, kMinLevel, kMaxLevel);
  z_stream zs{};
  int rc = deflateInit2(&zs, lv == 0 ? Z_DEFAULT_COMPRESSION : lv, Z_DEFLATED, kGzipWindowBits,
                        kMemLevel, Z_DEFAULT_STRATEGY);
  if (rc == Z_MEM_ERROR) throw std::bad_alloc();
  if (rc != Z_OK) throw Error(PROWL_ERR_INTERNAL, "gzip: deflateInit2: " + zlib_message(zs, rc));
  struct End {
    z_stream* zs;
    ~End() { deflateEnd(zs); }
  } end{&zs};

  auto dst = reserve_exactly(out, deflateBound(&zs, in.size()), kName);
  size_t in_left = 0;
  rc = pump(zs, in, dst, in_left,
            [&zs](bool all_given) { return deflate(&zs, all_given ? Z_FINISH : Z_NO_FLUSH); });
  if (rc != Z_STREAM_END) throw Error(PROWL_ERR_INTERNAL, "gzip: deflate: " + zlib_message(zs, rc));
  out.commit(static_cast<size_t>(zs.total_out));
  return std::string(kName);
}

void GzipCodec::decompress(std::span<const uint8_t> in, size_t original_size, Output& out) {
  z_stream zs{};
  int rc = inflateInit2(&zs, kGzipWindowBits);
  if (rc == Z_MEM_ERROR) throw std::bad_alloc();
  if (rc != Z_OK) throw Error(PROWL_ERR_INTERNAL, "gzip: inflateInit2: " + zlib_message(zs, rc));
  struct End {
    z_stream* zs;
    ~End() { inflateEnd(zs); }
  } end{&zs};

  auto dst = reserve_exactly(out, original_size, kName);
  size_t in_left = 0;
  rc = pump(zs, in, dst, in_left, [&zs](bool) { return inflate(&zs, Z_NO_FLUSH); });
  switch (rc) {
    case Z_STREAM_END:
      break;
    case Z_BUF_ERROR:  // no progress possible: out of input or out of room
      if (zs.avail_in == 0 && in_left == 0) {
        fail(kName, "stream truncated after " + std::to_string(zs.total_in) + " bytes");
      }
      fail(kName, "stream expands past " + std::to_string(original_size) + " bytes");
    case Z_MEM_ERROR:
      throw std::bad_alloc();
    default:  // Z_DATA_ERROR (bad header, data or check), Z_NEED_DICT
      fail(kName, "corrupt stream near input byte " + std::to_string(zs.total_in) + ": " +
                      zlib_message(zs, rc));
  }
  const size_t trailing = zs.avail_in + in_left;
  if (trailing != 0) fail(kName, std::to_string(trailing) + " trailing bytes after the stream");
  check_produced(kName, static_cast<size_t>(zs.total_out), original_size);
  out.commit(static_cast<size_t>(zs.total_out));
}

}  // namespace prowl::codecs
