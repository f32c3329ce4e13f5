// The cost of the secure channel on one core: the ChaCha20-Poly1305 ceiling
// of OpenSSL and of libsodium at 64 KiB messages, SecureChannel throughput
// (encrypt + decrypt) at 64 KiB writes, the swarm's zero-copy data path
// (gather seal, in-place open, one copy out), and complete Noise XX handshakes.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "host/base/identity/key_pair.h"
#include "host/wire/noise/aead.h"
#include "host/wire/noise/handshake.h"
#include "host/wire/noise/secure_channel.h"

namespace {

using namespace prowl::noise;

constexpr size_t kMessage = 64 * 1024;

void BM_AeadSealOpenSsl(benchmark::State& state) {
  Aead aead(Aead::Key{3});
  std::vector<uint8_t> plaintext(kMessage, 0x5a), out(kMessage + Aead::kTagLength);
  Aead::Nonce nonce{};
  for (auto _ : state) {
    aead.seal(nonce, {}, plaintext, out);
    ++nonce[4];
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kMessage));
}
BENCHMARK(BM_AeadSealOpenSsl);

void BM_AeadOpenOpenSsl(benchmark::State& state) {
  Aead aead(Aead::Key{3});
  std::vector<uint8_t> plaintext(kMessage, 0x5a), sealed(kMessage + Aead::kTagLength);
  const Aead::Nonce nonce{};
  aead.seal(nonce, {}, plaintext, sealed);
  for (auto _ : state) {
    if (!aead.open(nonce, {}, sealed, plaintext)) std::abort();
    benchmark::DoNotOptimize(plaintext.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kMessage));
}
BENCHMARK(BM_AeadOpenOpenSsl);

void BM_AeadSealLibsodium(benchmark::State& state) {
  if (sodium_init() < 0) std::abort();
  Aead::Key key{3};
  std::vector<uint8_t> plaintext(kMessage, 0x5a), out(kMessage + Aead::kTagLength);
  Aead::Nonce nonce{};
  for (auto _ : state) {
    unsigned long long out_len = 0;
    crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &out_len, plaintext.data(), plaintext.size(), nullptr,
                                              0, nullptr, nonce.data(), key.data());
    ++nonce[4];
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kMessage));
}
BENCHMARK(BM_AeadSealLibsodium);

// Bytes counted once per write: each iteration encrypts 64 KiB (two frames)
// and decrypts it again on the other end.
void BM_SecureChannelRoundTrip(benchmark::State& state) {
  SecureChannel sender(CipherState(Aead::Key{1}), CipherState(Aead::Key{2}));
  SecureChannel receiver(CipherState(Aead::Key{2}), CipherState(Aead::Key{1}));
  std::vector<uint8_t> plaintext(kMessage, 0x5a), wire, received;
  wire.reserve(SecureChannel::sealed_size(kMessage));
  received.reserve(kMessage);
  std::string error;
  for (auto _ : state) {
    wire.clear();
    received.clear();
    if (!sender.encrypt(plaintext, wire, &error) || !receiver.decrypt(wire, received, &error)) {
      state.SkipWithError(error.c_str());
      break;
    }
    benchmark::DoNotOptimize(received.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kMessage));
}
BENCHMARK(BM_SecureChannelRoundTrip);

void BM_SecureChannelEncrypt(benchmark::State& state) {
  SecureChannel sender(CipherState(Aead::Key{1}), CipherState(Aead::Key{2}));
  std::vector<uint8_t> plaintext(kMessage, 0x5a), wire(SecureChannel::sealed_size(kMessage));
  std::string error;
  for (auto _ : state) {
    if (!sender.seal(plaintext, wire, &error)) std::abort();
    benchmark::DoNotOptimize(wire.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kMessage));
}
BENCHMARK(BM_SecureChannelEncrypt);

// The user-space work of the swarm's data path per payload byte, both ends
// on this core, without the kernel: the sender gather-seals [12-byte Yamux
// header | payload] frames of 65519 bytes straight from its buffer into a
// 1 MiB wire batch; the receiver decrypts that batch in place and copies the
// payload once into a reader's buffer.
void BM_SecureChannelZeroCopyPath(benchmark::State& state) {
  constexpr size_t kBatchPayload = 16 * 65507;
  constexpr size_t kHeader = 12;
  SecureChannel sender(CipherState(Aead::Key{1}), CipherState(Aead::Key{2}));
  SecureChannel receiver(CipherState(Aead::Key{2}), CipherState(Aead::Key{1}));
  std::vector<uint8_t> payload(kBatchPayload, 0x5a), header(kHeader, 0), reader(kBatchPayload);
  std::vector<uint8_t> wire(SecureChannel::sealed_size(kBatchPayload + 16 * kHeader));
  std::string error;
  for (auto _ : state) {
    std::span<uint8_t> out(wire);
    for (size_t at = 0; at < kBatchPayload; at += 65507) {
      const std::span<const uint8_t> parts[] = {header, std::span(payload).subspan(at, 65507)};
      const size_t sealed = SecureChannel::sealed_size(kHeader + 65507);
      if (!sender.seal_gather(parts, out.first(sealed), &error)) std::abort();
      out = out.subspan(sealed);
    }
    std::span<uint8_t> in(wire);
    size_t filled = 0;
    for (;;) {
      const auto opened = receiver.open_next(in, &error);
      if (opened.status != SecureChannel::Opened::Status::kPlaintext) break;
      std::memcpy(reader.data() + filled, opened.plaintext.data() + kHeader, opened.plaintext.size() - kHeader);
      filled += opened.plaintext.size() - kHeader;
    }
    if (filled != kBatchPayload) std::abort();
    benchmark::DoNotOptimize(reader.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kBatchPayload));
}
BENCHMARK(BM_SecureChannelZeroCopyPath);

// Both sides in this thread: key generation, 6 X25519, 2 Ed25519 signatures
// and 2 verifications per handshake.
void BM_NoiseXXHandshake(benchmark::State& state) {
  const auto alice = prowl::identity::KeyPair::generate();
  const auto bob = prowl::identity::KeyPair::generate();
  std::string error;
  for (auto _ : state) {
    Handshake initiator(Role::kInitiator, alice);
    Handshake responder(Role::kResponder, bob);
    std::vector<uint8_t> wire;
    for (int i = 0; i < 3; ++i) {
      Handshake& writer = i % 2 == 0 ? initiator : responder;
      Handshake& reader = i % 2 == 0 ? responder : initiator;
      wire.clear();
      if (!writer.write_message(wire, &error)) std::abort();
      if (!reader.read_message(std::span(wire).subspan(kFrameHeaderLength), &error)) std::abort();
    }
    if (!initiator.is_complete() || !responder.is_complete()) std::abort();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_NoiseXXHandshake);

}  // namespace

BENCHMARK_MAIN();
