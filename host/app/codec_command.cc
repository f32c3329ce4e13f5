#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "host/app/commands.h"
#include "host/plugin_host/codec/codec_service.h"
#include "host/plugin_host/codon/codon_service.h"

namespace prowl::cli {
namespace {

/// All of stdin, binary-safe.
std::vector<uint8_t> read_stdin() {
  std::vector<uint8_t> data;
  uint8_t chunk[1 << 16];
  size_t n = 0;
  while ((n = std::fread(chunk, 1, sizeof chunk, stdin)) > 0) data.insert(data.end(), chunk, chunk + n);
  if (std::ferror(stdin)) throw CliError(std::string("cannot read stdin: ") + std::strerror(errno));
  return data;
}

/// Writes bytes to stdout, binary-safe.
void write_stdout(const void* data, size_t size) {
  if ((size > 0 && std::fwrite(data, 1, size, stdout) != size) || std::fflush(stdout) != 0)
    throw CliError(std::string("cannot write stdout: ") + std::strerror(errno));
}

codec::Limits codec_limits(const Context& context) {
  return codec::Limits{static_cast<size_t>(context.config().get_integer("codec.max_output_bytes"))};
}

}  // namespace

void add_codec_commands(CLI::App& app, Context& context, int& exit_code) {
  CLI::App* codec_group = app.add_subcommand("codec", "Compress or decompress stdin to stdout in prowl frames");
  codec_group->require_subcommand(1);

  CLI::App* compress = codec_group->add_subcommand("compress", "Compress stdin into one frame on stdout");
  auto codec_name = std::make_shared<std::string>();
  auto level = std::make_shared<int32_t>(0);
  compress->add_option("--codec", *codec_name, "codec plugin name, e.g. zstd or auto")->required();
  compress->add_option("--level", *level, "codec level (0 = the codec's default)");
  compress->callback([&context, &exit_code, codec_name, level] {
    context.init();
    codec::CodecService codecs(context.registry(), codec_limits(context));
    const std::vector<uint8_t> in = read_stdin();
    plugins::OutputBuffer out;
    try {
      codecs.compress_into(*codec_name, in, *level, out);
    } catch (const codec::CodecError& e) {
      throw CliError(e.what());
    }
    write_stdout(out.data(), out.size());
    exit_code = 0;
  });

  CLI::App* decompress = codec_group->add_subcommand("decompress", "Decompress one frame from stdin to stdout");
  auto expect_codec = std::make_shared<std::string>();
  decompress->add_option("--codec", *expect_codec,
                         "refuse a frame written by any other codec (default, or auto: accept "
                         "the codec the frame names)");
  decompress->callback([&context, &exit_code, expect_codec] {
    context.init();
    codec::CodecService codecs(context.registry(), codec_limits(context));
    const std::vector<uint8_t> in = read_stdin();
    plugins::OutputBuffer out;
    try {
      codecs.decompress_into(in, out, *expect_codec);
    } catch (const codec::CodecError& e) {
      throw CliError(e.what());
    }
    write_stdout(out.data(), out.size());
    exit_code = 0;
  });

  CLI::App* codon_group = app.add_subcommand("codon", "Encode stdin to a codon sequence or back");
  codon_group->require_subcommand(1);
  auto encoder = std::make_shared<std::string>();
  for (const bool encode : {true, false}) {
    CLI::App* cmd = codon_group->add_subcommand(
        encode ? "encode" : "decode",
        encode ? "Encode stdin bytes to codons (A, C, G, T) on stdout"
               : "Decode a codon sequence on stdin to bytes on stdout");
    cmd->add_option("--encoder", *encoder, "codon encoder plugin name, e.g. codon256")->required();
    cmd->callback([&context, &exit_code, encoder, encode] {
      context.init();
      codon::CodonService codons(context.registry());
      const std::vector<uint8_t> in = read_stdin();
      try {
        if (encode) {
          const std::string seq = codons.encode(*encoder, in);
          write_stdout(seq.data(), seq.size());
        } else {
          const std::vector<uint8_t> bytes =
              codons.decode(*encoder, {reinterpret_cast<const char*>(in.data()), in.size()});
          write_stdout(bytes.data(), bytes.size());
        }
      } catch (const codon::CodonError& e) {
        throw CliError(e.what());
      }
      exit_code = 0;
    });
  }
}

}  // namespace prowl::cli
