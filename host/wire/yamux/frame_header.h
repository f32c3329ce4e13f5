// Yamux frame headers as hashicorp/yamux spec.md defines them (libp2p
// "/yamux/1.0.0"): 12 bytes, big-endian: version u8, type u8, flags u16,
// stream id u32, length u32.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace prowl::yamux {

/// A stream identifier: odd for client-opened streams, even for server-opened ones, 0 for the session.
using StreamId = uint32_t;

/// The protocol id libp2p negotiates for Yamux.
inline constexpr std::string_view kProtocolId = "/yamux/1.0.0";
/// The only protocol version the spec defines.
inline constexpr uint8_t kVersion = 0;
/// Size of every frame header, in bytes.
inline constexpr size_t kHeaderSize = 12;
/// Window both sides assume for a new stream before any window update.
inline constexpr uint32_t kSpecInitialWindow = 256 * 1024;

/// Frame types. Values outside this list may appear on the wire and are protocol errors.
enum class FrameType : uint8_t { kData = 0, kWindowUpdate = 1, kPing = 2, kGoAway = 3 };

/// Flag bits of the header's flags field.
inline constexpr uint16_t kFlagSyn = 0x1;  ///< opens a stream, or asks for a ping reply
inline constexpr uint16_t kFlagAck = 0x2;  ///< acknowledges a stream, or answers a ping
inline constexpr uint16_t kFlagFin = 0x4;  ///< half-closes the sender's direction
inline constexpr uint16_t kFlagRst = 0x8;  ///< resets a stream at once

/// Error codes a GoAway frame carries in its length field.
enum class GoAwayCode : uint32_t { kNormal = 0, kProtocolError = 1, kInternalError = 2 };

/// One decoded header. `length` means: Data: payload bytes that follow;
/// WindowUpdate: window delta; Ping: opaque value; GoAway: error code.
struct FrameHeader {
  uint8_t version = kVersion;
  FrameType type = FrameType::kData;
  uint16_t flags = 0;
  StreamId stream_id = 0;
  uint32_t length = 0;
};

/// Appends the 12-byte encoding of `header` to `out`.
void append_header(std::vector<uint8_t>& out, const FrameHeader& header);

/// Decodes 12 header bytes. Never fails: version and type are checked by the caller.
FrameHeader decode_header(std::span<const uint8_t, kHeaderSize> in) noexcept;

/// True for the four types the spec defines.
bool is_known_type(FrameType type) noexcept;

/// "data", "window update", "ping", "go away" or "unknown", for error messages.
const char* type_name(FrameType type) noexcept;

}  // namespace prowl::yamux
