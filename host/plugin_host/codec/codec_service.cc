#include "host/plugin_host/codec/codec_service.h"

#include "host/plugin_host/codec/frame.h"

namespace prowl::codec {

CodecService::CodecService(const plugins::Registry& registry, Limits limits)
    : registry_(registry), limits_(limits) {}

const plugins::Plugin& CodecService::codec_plugin(std::string_view name) const {
  const plugins::Plugin* plugin = registry_.find(PROWL_KIND_CODEC, name);
  if (plugin == nullptr) {
    std::string known;
    for (const std::string& codec : registry_.codec_names()) known += (known.empty() ? "" : ", ") + codec;
    throw CodecError("no codec named '" + std::string(name) + "' is loaded (loaded: " +
                     (known.empty() ? std::string("none") : known) + ")");
  }
  return *plugin;
}

void CodecService::compress_into(std::string_view codec, std::span<const uint8_t> in, int32_t level,
                                 plugins::OutputBuffer& out) const {
  const plugins::Plugin& plugin = codec_plugin(codec);
  // Write the header for the codec asked for; rewrite it only if the plugin
  // reports that another codec's format was produced (as "auto" does).
  std::vector<uint8_t> header = encode_frame_header(plugin.name(), in.size());
  out.clear();
  out.set_limit(SIZE_MAX);
  if (!out.reserve(header.size() + in.size() / 2 + 64) || !out.append(header))
    throw CodecError("out of memory for the compressed frame");
  std::string used;
  plugins::CallResult r = plugin.compress(in, level, out.writer(), &used);
  if (!r.ok()) throw CodecError("compress with '" + plugin.name() + "': " + r.message);
  if (used == plugin.name()) return;
  if (registry_.find(PROWL_KIND_CODEC, used) == nullptr)
    throw CodecError("codec '" + plugin.name() + "' reports it wrote the format of '" + used +
                     "', which is not a loaded codec");
  if (!out.replace_front(header.size(), encode_frame_header(used, in.size())))
    throw CodecError("out of memory for the compressed frame");
}

void CodecService::decompress_into(std::span<const uint8_t> framed, plugins::OutputBuffer& out,
                                   std::string_view expect) const {
  std::string error;
  std::optional<FrameHeader> header = parse_frame_header(framed, &error);
  if (!header) throw CodecError(error);
  if (!expect.empty() && expect != kAnyCodec && header->codec != expect)
    throw CodecError("the frame was written by codec '" + header->codec + "', not '" +
                     std::string(expect) + "'");
  if (header->original_size > limits_.max_output)
    throw CodecError("frame declares " + std::to_string(header->original_size) +
                     " bytes of output, over the limit of " + std::to_string(limits_.max_output));
  const plugins::Plugin& plugin = codec_plugin(header->codec);
  const auto original = static_cast<size_t>(header->original_size);
  out.clear();
  out.set_limit(original);
  if (!out.reserve(original))
    throw CodecError("out of memory for " + std::to_string(original) + " bytes of output");
  plugins::CallResult r =
      plugin.decompress(framed.subspan(header->header_size), original, out.writer());
  if (!r.ok()) throw CodecError("decompress with '" + plugin.name() + "': " + r.message);
  if (out.size() != original)
    throw CodecError("codec '" + plugin.name() + "' produced " + std::to_string(out.size()) +
                     " bytes, the frame declares " + std::to_string(original));
}

std::vector<uint8_t> CodecService::compress(std::string_view codec, std::span<const uint8_t> in,
                                            int32_t level) const {
  plugins::OutputBuffer out;
  compress_into(codec, in, level, out);
  return out.to_vector();
}

std::vector<uint8_t> CodecService::decompress(std::span<const uint8_t> framed) const {
  plugins::OutputBuffer out;
  decompress_into(framed, out);
  return out.to_vector();
}

}  // namespace prowl::codec
