// The task protocol's frames (/prowl/task/1.0.0, task.proto): decoding with
// every size bounded and every field checked, encoding, result digests, and
// the reassembly of chunked inputs and results. Sans-IO.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "host/base/status/status.h"
#include "host/wire/task/task.pb.h"

namespace prowl::task {

inline constexpr std::string_view kProtocol = "/prowl/task/1.0.0";

/// Bounds on what a peer may send. The defaults suit loopback and LAN
/// swarms; the node sets them from compute.* configuration.
struct Limits {
  size_t max_frame_bytes = 4u << 20;             ///< one encoded frame
  size_t max_chunk_bytes = 1u << 20;             ///< data of one Chunk
  size_t max_params_bytes = 64u << 10;           ///< an offer's params
  uint64_t max_input_bytes = uint64_t{1} << 30;  ///< a task's whole input
  uint64_t max_result_bytes = 64u << 20;         ///< a task's whole result
  size_t max_hunts = 64;                         ///< hunts in one Announce
  uint32_t max_credit = 1024;                    ///< slots in one Credit
  uint32_t max_deadline_ms = 86'400'000;         ///< one day
};

inline constexpr size_t kMaxHuntNameBytes = 63;
inline constexpr size_t kMaxHuntVersionBytes = 31;
inline constexpr size_t kMaxTextBytes = 256;  ///< decline details, error texts
inline constexpr size_t kDigestBytes = 32;    ///< SHA-256

/// Parses one frame (without its length prefix) into *frame and checks
/// every field against `limits`. kLimit for a size past a bound,
/// kInvalidInput for anything malformed; the message names the field.
Status decode_frame(std::span<const uint8_t> bytes, const Limits& limits, pb::Frame* frame);

/// The frame's protobuf encoding (without a length prefix).
std::vector<uint8_t> encode_frame(const pb::Frame& frame);

/// Checks a hunt reference: a name of 1-63 bytes of [a-z0-9._-], a version
/// of 1-31 printable bytes, a library hash empty or 32 bytes.
Status check_hunt(const pb::HuntRef& hunt);

using Digest = std::array<uint8_t, kDigestBytes>;

/// SHA-256 of a task's result bytes.
Digest digest_of(std::span<const uint8_t> bytes);

/// SHA-256 of a file, read in pieces (a job's input, a hunt's library);
/// the empty path hashes as empty. kNotFound naming the file when it cannot
/// be read.
Status digest_file(const std::filesystem::path& file, Digest* out);

/// Collects a chunked input or result in order, up to its declared size.
/// Not thread-safe.
class Assembler {
 public:
  /// Starts with the `inline_bytes` that came in the Offer or Result and
  /// expects `total` bytes in all. REQUIRES: inline_bytes.size() <= total.
  Assembler(std::span<const uint8_t> inline_bytes, uint64_t total);

  /// Appends a chunk. kInvalidInput when `offset` is not where the data so
  /// far ends (a gap or an overlap), kLimit when it would pass the total.
  Status add(uint64_t offset, std::span<const uint8_t> data);

  bool complete() const noexcept { return bytes_.size() == total_; }
  uint64_t received() const noexcept { return bytes_.size(); }
  uint64_t total() const noexcept { return total_; }
  /// REQUIRES: complete(). Moves the bytes out.
  std::vector<uint8_t> take() { return std::move(bytes_); }

 private:
  std::vector<uint8_t> bytes_;
  uint64_t total_;
};

}  // namespace prowl::task
