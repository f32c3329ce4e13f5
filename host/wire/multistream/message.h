// Multistream-select 1.0 messages: <uvarint length><UTF-8 text>'\n', the
// length counting the text and the newline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace prowl::multistream {

/// The first message each side sends.
inline constexpr std::string_view kProtocolId = "/multistream/1.0.0";
/// The answer to a proposal the listener does not support.
inline constexpr std::string_view kNotAvailable = "na";
/// A request for the listener's protocol list.
inline constexpr std::string_view kList = "ls";
/// The largest length prefix accepted: text plus newline, in bytes.
inline constexpr size_t kMaxMessageBytes = 1024;

/// Returns false, with `error` saying why, when `id` cannot be proposed:
/// empty, longer than kMaxMessageBytes - 1 bytes, not UTF-8, holding a
/// newline, or one of the reserved words "na" and "ls".
bool check_protocol_id(std::string_view id, std::string* error);

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code
/// points above U+10FFFF). When false, `*bad_at` (if given) is the offset of
/// the first byte that breaks it.
bool is_utf8(std::span<const uint8_t> text, size_t* bad_at = nullptr) noexcept;

/// Appends <varint><text>'\n' to `out`.
/// REQUIRES: text.size() < kMaxMessageBytes.
void append_message(std::vector<uint8_t>& out, std::string_view text);

/// Appends the answer to "ls": one message whose body is the listed ids,
/// each itself framed as a message. Ids that would push the answer past
/// kMaxMessageBytes are left out. REQUIRES: every id passes check_protocol_id.
void append_list_answer(std::vector<uint8_t>& out, std::span<const std::string> ids);

}  // namespace prowl::multistream
