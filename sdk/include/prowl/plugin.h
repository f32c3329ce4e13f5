/* prowl/plugin.h: the C ABI between the prowl host and its plugins.
 *
 * This header is the whole contract. It uses only C types so that a plugin
 * built by any C or C++ compiler, against any standard library, can be loaded.
 *
 * Lifetime and ownership rules (see docs/sdk-guide.md):
 *  - A plugin is a shared library exporting two symbols:
 *      prowl_plugin_manifest  (a prowl_manifest, constant data placed in the
 *                              ELF section ".prowl_manifest"), and
 *      prowl_plugin_entry     (a prowl_entry_fn).
 *    The host reads the manifest from the file without running plugin code,
 *    checks the ABI, and only then loads the library and calls the entry.
 *  - Libraries stay loaded for the life of the host process.
 *  - The side that allocates frees: output goes into host-owned prowl_writer
 *    buffers; plugin state is released by the plugin's own destroy().
 *  - No exception crosses the boundary. Every function reports failure with
 *    a prowl_status and a NUL-terminated message in a prowl_error.
 *  - Threading: the host may call a codec or codon instance from several
 *    threads at once; such an instance must be thread-safe. Role and hunt
 *    callbacks are made from the host's event loop, one at a time.
 *  - History: 1.0 logging, config and codecs; 1.1 streams and
 *    request-response; 1.2 the DHT, pub/sub and howls. A 1.2 host loads 1.0
 *    and 1.1 plugins unchanged (their table is a prefix of this one).
 */
#ifndef PROWL_PLUGIN_H_
#define PROWL_PLUGIN_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version. The host loads a plugin whose major equals its own and whose
 * minor is not newer than its own. New fields only ever go at the end of a
 * struct whose first member is struct_size. */
#define PROWL_ABI_MAJOR 1
#define PROWL_ABI_MINOR 2

#define PROWL_MANIFEST_MAGIC "PROWLPLG" /* 8 bytes, no terminator */
#define PROWL_MANIFEST_SECTION ".prowl_manifest"
#define PROWL_MANIFEST_SYMBOL "prowl_plugin_manifest"
/* The attributes of the manifest variable: alone in PROWL_MANIFEST_SECTION,
 * kept by the linker, and not padded by clang's AddressSanitizer, whose
 * redzone would make the section larger than a prowl_manifest (and the host
 * refuse the plugin). GCC does not instrument globals in named sections. */
#if defined(__clang__)
#define PROWL_MANIFEST_ATTRIBUTES \
  __attribute__((section(PROWL_MANIFEST_SECTION), used, no_sanitize("address")))
#else
#define PROWL_MANIFEST_ATTRIBUTES __attribute__((section(PROWL_MANIFEST_SECTION), used))
#endif
#define PROWL_ENTRY_SYMBOL "prowl_plugin_entry"

#define PROWL_NAME_MAX 64         /* bytes, including the terminator */
#define PROWL_VERSION_MAX 32      /* bytes, including the terminator */
#define PROWL_DESCRIPTION_MAX 160 /* bytes, including the terminator */
#define PROWL_ERROR_MAX 256       /* bytes, including the terminator */

#if defined(_WIN32)
#define PROWL_EXPORT __declspec(dllexport)
#else
#define PROWL_EXPORT __attribute__((visibility("default")))
#endif

/* What a plugin is. A plugin of a kind the host does not know is refused. */
typedef enum prowl_kind {
  PROWL_KIND_ROLE = 1,  /* swarm behaviour: alpha, scout, sentinel, ... */
  PROWL_KIND_HUNT = 2,  /* a hunt type: discovery, resource, ... */
  PROWL_KIND_CODEC = 3, /* a compression codec: prowl_codec_vtable */
  PROWL_KIND_CODON = 4  /* a genetic-codon encoder: prowl_codon_vtable */
} prowl_kind;

/* Result of every call across the boundary. */
typedef enum prowl_status {
  PROWL_OK = 0,
  PROWL_ERR_INVALID_INPUT = 1, /* the input bytes or arguments are malformed */
  PROWL_ERR_LIMIT = 2,         /* an output, size or resource limit was hit */
  PROWL_ERR_UNSUPPORTED = 3,   /* the request is valid but not supported */
  PROWL_ERR_NOT_FOUND = 4,     /* a named thing (codec, key, ...) is absent */
  PROWL_ERR_INTERNAL = 5,      /* a bug or an unexpected failure (exception) */
  PROWL_ERR_TIMEOUT = 6,       /* a deadline passed */
  PROWL_ERR_UNREACHABLE = 7,   /* the peer is not connected and could not be dialled */
  PROWL_ERR_CLOSED = 8,        /* the stream was reset or its connection was lost */
  PROWL_ERR_REMOTE = 9         /* the remote side failed; the message carries its text */
} prowl_status;

/* A message describing a failure. The callee writes a NUL-terminated text;
 * the caller owns the storage. */
typedef struct prowl_error {
  char message[PROWL_ERROR_MAX];
} prowl_error;

/* Plugin metadata: constant data, readable from the file without loading it.
 * Every text field is NUL-terminated within its array. */
typedef struct prowl_manifest {
  char magic[8];      /* PROWL_MANIFEST_MAGIC */
  uint32_t abi_major; /* PROWL_ABI_MAJOR the plugin was built with */
  uint32_t abi_minor; /* PROWL_ABI_MINOR the plugin was built with */
  uint32_t kind;      /* a prowl_kind */
  uint32_t flags;     /* reserved, 0 */
  char name[PROWL_NAME_MAX];        /* unique; [a-z0-9][a-z0-9_-]* */
  char version[PROWL_VERSION_MAX];  /* the plugin's own version, e.g. 1.2.0 */
  char description[PROWL_DESCRIPTION_MAX];
} prowl_manifest;

/* A host-owned, growable output buffer with a hard size limit.
 * The plugin asks for room, writes into it, and commits what it wrote. */
typedef struct prowl_writer {
  void* ctx; /* host state; pass back unchanged */
  /* Returns a pointer to at least min_bytes writable bytes just after the
   * committed data and stores the usable room (>= min_bytes) in *room.
   * Returns NULL when min_bytes more would pass the writer's limit; the
   * plugin then fails with PROWL_ERR_LIMIT. The pointer is valid until the
   * next reserve() or commit(). */
  uint8_t* (*reserve)(void* ctx, size_t min_bytes, size_t* room);
  /* Marks n bytes (at most the last room) written after the committed data. */
  void (*commit)(void* ctx, size_t n);
} prowl_writer;

/* Log levels for prowl_host_api.log. */
typedef enum prowl_log_level {
  PROWL_LOG_TRACE = 0,
  PROWL_LOG_DEBUG = 1,
  PROWL_LOG_INFO = 2,
  PROWL_LOG_WARN = 3,
  PROWL_LOG_ERROR = 4
} prowl_log_level;

/* ---- Network services (ABI 1.1) ----
 * Callbacks are made on the host's event loop thread, one at a time, never
 * from inside the call that registered them. Every pointer a callback gets is
 * valid only during that call. A plugin's registrations, streams and pending
 * requests end (without further callbacks) when the plugin is stopped or
 * destroyed. */

#define PROWL_PEER_ID_MAX 128 /* bytes of a peer id text, including the terminator */

/* One stream, opaque. A handle is never reused; after on_close it is stale
 * and calls with it fail with PROWL_ERR_NOT_FOUND. */
typedef struct prowl_stream prowl_stream;

/* What happens on a stream. For each stream: on_open once (outbound: when
 * negotiated; inbound: when accepted), then on_data / on_finish /
 * on_writable, then on_close exactly once. A stream whose open failed gets
 * only on_close. */
typedef struct prowl_stream_callbacks {
  uint32_t struct_size; /* sizeof(prowl_stream_callbacks) */
  /* peer: the remote peer id; protocol: the negotiated protocol id. */
  void (*on_open)(void* user, prowl_stream* stream, const char* peer, const char* protocol);
  /* Bytes arrived (len > 0). */
  void (*on_data)(void* user, prowl_stream* stream, const uint8_t* data, size_t len);
  /* The remote finished sending (FIN). May be NULL. */
  void (*on_finish)(void* user, prowl_stream* stream);
  /* The write queue drained after a write had failed with PROWL_ERR_LIMIT. May be NULL. */
  void (*on_writable)(void* user, prowl_stream* stream);
  /* The stream ended: PROWL_OK once both sides finished and our queue was
   * written; otherwise why it failed. The handle is stale afterwards. */
  void (*on_close)(void* user, prowl_stream* stream, int32_t status, const char* message);
} prowl_stream_callbacks;

/* One inbound request, opaque; answer it with rr_respond or rr_fail. */
typedef struct prowl_rr_request prowl_rr_request;

/* Receives one inbound request from `peer`. */
typedef void (*prowl_rr_handler_fn)(void* user, prowl_rr_request* request, const char* peer,
                                    const uint8_t* data, size_t len);

/* The outcome of one outbound request: exactly one of the two is called. */
typedef struct prowl_rr_callbacks {
  uint32_t struct_size; /* sizeof(prowl_rr_callbacks) */
  void (*on_response)(void* user, const uint8_t* data, size_t len);
  void (*on_error)(void* user, int32_t status, const char* message);
} prowl_rr_callbacks;

/* ---- DHT, pub/sub and howls (ABI 1.2) ----
 * The rules of the network services above hold: callbacks run on the host's
 * event loop, one at a time, never inside the call that started them; every
 * pointer a callback gets is valid only during that call; a plugin's
 * queries, subscriptions and validators end, without further callbacks,
 * when the plugin is stopped or destroyed (calls after its stop fail with
 * PROWL_ERR_CLOSED). */

#define PROWL_DHT_KEY_MAX 1024        /* bytes of a DHT key */
#define PROWL_DHT_VALUE_MAX 16384     /* bytes of a stored DHT record value (a signed
                                       * /prowl/ value spends ~120 of them on its envelope) */
#define PROWL_TOPIC_MAX 1024          /* bytes of a pub/sub topic, without terminator */

/* One peer in a DHT result. */
typedef struct prowl_dht_peer {
  const char* peer;          /* peer id text, NUL-terminated */
  const char* const* addrs;  /* addr_count multiaddr texts, NUL-terminated */
  size_t addr_count;
} prowl_dht_peer;

/* The outcome of one DHT call; which fields are set depends on the call. */
typedef struct prowl_dht_result {
  uint32_t struct_size;   /* sizeof(prowl_dht_result) as the host was built */
  int32_t status;         /* PROWL_OK, or why the call failed */
  const char* message;    /* "" on success, else the failure as one line */
  const uint8_t* value;   /* dht_get: the value (for /prowl/ keys the signed payload) */
  size_t value_len;
  uint64_t count;         /* dht_put: peers that stored it; dht_provide: peers told */
  const prowl_dht_peer* peers;  /* find_providers, find_peer (one), closest_peers */
  size_t peer_count;
} prowl_dht_result;

/* Receives the outcome of one DHT call, exactly once. */
typedef void (*prowl_dht_done_fn)(void* user, const prowl_dht_result* result);

/* One pub/sub message as a subscriber or validator sees it. */
typedef struct prowl_pubsub_message {
  uint32_t struct_size; /* sizeof(prowl_pubsub_message) as the host was built */
  const char* topic;    /* NUL-terminated */
  const char* from;     /* the author's peer id text */
  uint64_t seqno;       /* the author's sequence number */
  const uint8_t* data;
  size_t len;
} prowl_pubsub_message;

/* Receives one message of a subscribed topic (own messages included). */
typedef void (*prowl_pubsub_message_fn)(void* user, const prowl_pubsub_message* message);

/* A validator's verdict on a received message. */
typedef enum prowl_verdict {
  PROWL_VERDICT_ACCEPT = 0, /* deliver and forward */
  PROWL_VERDICT_REJECT = 1, /* drop and penalise the peers that sent it */
  PROWL_VERDICT_IGNORE = 2  /* drop without penalty */
} prowl_verdict;

/* Judges one received message; returns a prowl_verdict. Any other value
 * counts as PROWL_VERDICT_IGNORE and is logged. */
typedef int32_t (*prowl_pubsub_validator_fn)(void* user, const prowl_pubsub_message* message);

/* Howl patterns (what a howl means) and ranges (how far it carries). */
typedef enum prowl_howl_pattern {
  PROWL_HOWL_GATHERING = 1,
  PROWL_HOWL_HUNTING = 2,
  PROWL_HOWL_WARNING = 3,
  PROWL_HOWL_TERRITORY = 4,
  PROWL_HOWL_SOCIAL = 5
} prowl_howl_pattern;
typedef enum prowl_howl_range {
  PROWL_RANGE_ANY = 0,       /* howl_subscribe only: every range */
  PROWL_RANGE_PACK = 1,      /* this node's pack */
  PROWL_RANGE_TERRITORY = 2, /* this node's territory */
  PROWL_RANGE_GLOBAL = 3     /* everyone */
} prowl_howl_range;

#define PROWL_HOWL_FREQUENCY_MAX 1000  /* the most urgent howl */
#define PROWL_HOWL_PAYLOAD_MAX 65536   /* bytes of one howl's payload */

/* One howl heard from another peer. */
typedef struct prowl_howl {
  uint32_t struct_size; /* sizeof(prowl_howl) as the host was built */
  const char* sender;   /* peer id text */
  uint32_t pattern;     /* a prowl_howl_pattern */
  uint32_t range;       /* a prowl_howl_range other than ANY */
  const char* group;    /* the pack or territory id; "" for global howls */
  uint32_t frequency;   /* 0..PROWL_HOWL_FREQUENCY_MAX */
  const uint8_t* payload;
  size_t len;
  uint64_t timestamp_ms; /* the sender's wall clock, ms since the Unix epoch */
} prowl_howl;

/* Receives one howl. */
typedef void (*prowl_howl_fn)(void* user, const prowl_howl* howl);

/* Services the host offers a plugin. Each plugin gets its own table; `host`
 * identifies the plugin to the host. The table outlives the plugin.
 * Every function is thread-safe. */
typedef struct prowl_host_api {
  uint32_t struct_size; /* sizeof(prowl_host_api) as the host was built */
  uint32_t abi_major;   /* the host's PROWL_ABI_MAJOR */
  uint32_t abi_minor;   /* the host's PROWL_ABI_MINOR */
  void* host;           /* opaque; pass back to every call */

  /* Writes a log line tagged with the plugin's name. message is NUL-terminated. */
  void (*log)(void* host, int32_t level, const char* message);

  /* Looks up this plugin's configuration value "plugins.<name>.<key>"
   * (key may hold dots for nested objects). Strings come back as their text,
   * numbers and booleans as JSON text, objects and arrays as JSON.
   * Copies at most cap-1 bytes and a terminator into buf. Returns the full
   * length of the value (which may exceed cap-1), or -1 if it is not set. */
  int64_t (*config_get)(void* host, const char* key, char* buf, size_t cap);

  /* Compresses with the named codec plugin, unframed (raw codec format).
   * Returns a prowl_status; on failure err says why. */
  int32_t (*codec_compress)(void* host, const char* codec, const uint8_t* in, size_t len,
                            int32_t level, prowl_writer* out, prowl_error* err);

  /* Decompresses raw codec data that must expand to exactly original_size. */
  int32_t (*codec_decompress)(void* host, const char* codec, const uint8_t* in, size_t len,
                              size_t original_size, prowl_writer* out, prowl_error* err);

  /* Names the index-th loaded codec (0-based) into buf. Returns 1 if it
   * exists, 0 past the end. The order is stable for the process lifetime. */
  int32_t (*codec_name)(void* host, size_t index, char* buf, size_t cap);

  /* ---- ABI 1.1: network services (see "Network services" below). A host
   * older than 1.1 has a smaller struct_size; check before calling. ---- */

  /* Writes this node's peer id text. Returns its full length (like
   * config_get), or -1 when the host runs no network. */
  int64_t (*local_peer_id)(void* host, char* buf, size_t cap);
  /* Writes the peer ids of the live connections into out, each followed by '\n'. */
  int32_t (*connected_peers)(void* host, prowl_writer* out, prowl_error* err);

  /* Serves inbound streams negotiating `protocol`: each accepted stream gets
   * on_open, then its events, on callbacks (copied) with `user`. A protocol
   * is served by one plugin at most; the host's own and /prowl/rr/ ids are
   * refused. */
  int32_t (*stream_listen)(void* host, const char* protocol, const prowl_stream_callbacks* callbacks,
                           void* user, prowl_error* err);
  /* Opens a stream to `peer` (a peer id, or a multiaddr ending in /p2p/<id>
   * to dial when not connected) negotiating `protocol`. On PROWL_OK exactly
   * one of on_open or on_close (with the failure) follows, later. */
  int32_t (*stream_open)(void* host, const char* peer, const char* protocol,
                         const prowl_stream_callbacks* callbacks, void* user, prowl_error* err);
  /* Queues a copy of data[0, len) for the stream. PROWL_ERR_LIMIT when the
   * stream's queue would pass its limit (wait for on_writable, then retry). */
  int32_t (*stream_write)(void* host, prowl_stream* stream, const uint8_t* data, size_t len,
                          prowl_error* err);
  /* Sends FIN once the queue is written; reading continues. */
  int32_t (*stream_close_write)(void* host, prowl_stream* stream, prowl_error* err);
  /* Aborts the stream both ways (RST). on_close(PROWL_ERR_CLOSED) follows. */
  int32_t (*stream_reset)(void* host, prowl_stream* stream, prowl_error* err);

  /* Serves request-response `name` ([a-z0-9][a-z0-9._-]*, at most 63 bytes)
   * on protocol /prowl/rr/1.0.0/<name>. A name is served by one plugin at most. */
  int32_t (*rr_serve)(void* host, const char* name, prowl_rr_handler_fn handler, void* user,
                      prowl_error* err);
  /* Answers an inbound request once (now or later). PROWL_ERR_LIMIT when the
   * response is too large (the request stays open); PROWL_ERR_NOT_FOUND when
   * it was answered already or expired. */
  int32_t (*rr_respond)(void* host, prowl_rr_request* request, const uint8_t* data, size_t len,
                        prowl_error* err);
  /* Refuses an inbound request: the caller gets PROWL_ERR_REMOTE with the message. */
  int32_t (*rr_fail)(void* host, prowl_rr_request* request, int32_t status, const char* message,
                     prowl_error* err);
  /* Sends request data[0, len) to `peer` (as in stream_open) for `name`.
   * timeout_ms 0 means the host's default. On PROWL_OK exactly one of
   * on_response or on_error follows, later. */
  int32_t (*rr_request)(void* host, const char* peer, const char* name, const uint8_t* data,
                        size_t len, uint32_t timeout_ms, const prowl_rr_callbacks* callbacks,
                        void* user, prowl_error* err);

  /* ---- ABI 1.2: DHT, pub/sub and howls (see their section above). A host
   * older than 1.2 has a smaller struct_size; check before calling. Each
   * returns a prowl_status at once: on failure err says why and no callback
   * follows; PROWL_ERR_UNSUPPORTED when the host runs no such service,
   * PROWL_ERR_CLOSED after the plugin was stopped. ---- */

  /* Stores value[0, value_len) under key[0, key_len) on the closest peers.
   * For a key "/prowl/<this node's peer id>/<name>" the host signs the value
   * with the node's key; other namespaces (e.g. /pk/) take the value as is.
   * Sizes: key 1..PROWL_DHT_KEY_MAX, stored value PROWL_DHT_VALUE_MAX
   * (else PROWL_ERR_INVALID_INPUT / PROWL_ERR_LIMIT at once).
   * On PROWL_OK `done` follows once with count = peers that stored it, or a
   * failure (an invalid record, nobody stored it: PROWL_ERR_NOT_FOUND). */
  int32_t (*dht_put)(void* host, const uint8_t* key, size_t key_len, const uint8_t* value,
                     size_t value_len, prowl_dht_done_fn done, void* user, prowl_error* err);
  /* Finds the best valid value of key; `done` gets it (a /prowl/ value as
   * the payload its publisher signed), or PROWL_ERR_NOT_FOUND. */
  int32_t (*dht_get)(void* host, const uint8_t* key, size_t key_len, prowl_dht_done_fn done,
                     void* user, prowl_error* err);
  /* Announces this node as a provider of key (republished by the host);
   * `done` gets count = peers told, or PROWL_ERR_NOT_FOUND when none was. */
  int32_t (*dht_provide)(void* host, const uint8_t* key, size_t key_len, prowl_dht_done_fn done,
                         void* user, prowl_error* err);
  /* Finds up to max (1..20; 0 means 20) providers of key; `done` gets them
   * as peers, or PROWL_ERR_NOT_FOUND. */
  int32_t (*dht_find_providers)(void* host, const uint8_t* key, size_t key_len, uint32_t max,
                                prowl_dht_done_fn done, void* user, prowl_error* err);
  /* Finds the addresses of `peer` (a peer id text); `done` gets one peer, or
   * PROWL_ERR_NOT_FOUND. A malformed id is PROWL_ERR_INVALID_INPUT at once. */
  int32_t (*dht_find_peer)(void* host, const char* peer, prowl_dht_done_fn done, void* user,
                           prowl_error* err);
  /* Finds the peers closest to key that answered; `done` gets them, or
   * PROWL_ERR_NOT_FOUND when no peer answered. */
  int32_t (*dht_closest_peers)(void* host, const uint8_t* key, size_t key_len,
                               prowl_dht_done_fn done, void* user, prowl_error* err);

  /* Calls `on_message` with every message of `topic` (1..PROWL_TOPIC_MAX
   * bytes) until pubsub_unsubscribe or the plugin's stop; the node joins the
   * topic. Writes the subscription's id (never 0, never reused) into *id. */
  int32_t (*pubsub_subscribe)(void* host, const char* topic, prowl_pubsub_message_fn on_message,
                              void* user, uint64_t* id, prowl_error* err);
  /* Ends a subscription: no callback of it starts afterwards.
   * PROWL_ERR_NOT_FOUND for an id that is not this plugin's live one. */
  int32_t (*pubsub_unsubscribe)(void* host, uint64_t id, prowl_error* err);
  /* Signs (with the node's key) and sends a copy of data[0, len) to topic.
   * PROWL_ERR_LIMIT over the host's message size limit. */
  int32_t (*pubsub_publish)(void* host, const char* topic, const uint8_t* data, size_t len,
                            prowl_error* err);
  /* Judges every message of `topic` received from the network before it is
   * delivered or forwarded: all validators of a topic must accept. One
   * validator per topic per plugin; it runs on the host's loop and must not
   * block. A validator that throws counts as ignore and is logged. */
  int32_t (*pubsub_validate)(void* host, const char* topic, prowl_pubsub_validator_fn validator,
                             void* user, prowl_error* err);

  /* Howls payload[0, len) (at most PROWL_HOWL_PAYLOAD_MAX bytes) with
   * `pattern` in `range` (not ANY) at `frequency` (0..PROWL_HOWL_FREQUENCY_MAX). */
  int32_t (*howl_send)(void* host, uint32_t pattern, uint32_t range, uint32_t frequency,
                       const uint8_t* payload, size_t len, prowl_error* err);
  /* Calls `on_howl` with every valid howl of `pattern` from other peers in
   * `range` (PROWL_RANGE_ANY: all). Writes the id into *id. */
  int32_t (*howl_subscribe)(void* host, uint32_t pattern, uint32_t range, prowl_howl_fn on_howl,
                            void* user, uint64_t* id, prowl_error* err);
  /* Ends a howl subscription, as pubsub_unsubscribe. */
  int32_t (*howl_unsubscribe)(void* host, uint64_t id, prowl_error* err);
  /* Writes how many howls of `pattern` this node has sent and heard from
   * other peers (node-wide, as of the last howl the host handled). */
  int32_t (*howl_counts)(void* host, uint32_t pattern, uint64_t* sent, uint64_t* received,
                         prowl_error* err);
} prowl_host_api;

/* Codec plugins (kind PROWL_KIND_CODEC). Thread-safe. */
typedef struct prowl_codec_vtable {
  uint32_t struct_size; /* sizeof(prowl_codec_vtable) */
  /* Compresses in[0, len) into out. level 0 means the codec's default.
   * Writes into used_codec (PROWL_NAME_MAX bytes) the name of the codec whose
   * format it produced: its own name, unless it delegated (like "auto"). */
  int32_t (*compress)(void* self, const uint8_t* in, size_t len, int32_t level,
                      prowl_writer* out, char* used_codec, prowl_error* err);
  /* Decompresses in[0, len), which must expand to exactly original_size
   * bytes; anything else is PROWL_ERR_INVALID_INPUT. The writer's limit is
   * original_size. */
  int32_t (*decompress)(void* self, const uint8_t* in, size_t len, size_t original_size,
                        prowl_writer* out, prowl_error* err);
} prowl_codec_vtable;

/* Genetic-codon encoders (kind PROWL_KIND_CODON). Thread-safe. */
typedef struct prowl_codon_vtable {
  uint32_t struct_size; /* sizeof(prowl_codon_vtable) */
  /* Encodes in[0, len) to a codon sequence (ASCII A, C, G, T) in out. */
  int32_t (*encode)(void* self, const uint8_t* in, size_t len, prowl_writer* out,
                    prowl_error* err);
  /* Decodes a codon sequence; an invalid one fails with its position. */
  int32_t (*decode)(void* self, const uint8_t* in, size_t len, prowl_writer* out,
                    prowl_error* err);
} prowl_codon_vtable;

/* Roles (PROWL_KIND_ROLE) and hunts (PROWL_KIND_HUNT): lifecycle for now;
 * their swarm interfaces grow at the end of this struct. Called from the
 * host's event loop. */
typedef struct prowl_agent_vtable {
  uint32_t struct_size; /* sizeof(prowl_agent_vtable) */
  /* Called once after the host has started. */
  int32_t (*start)(void* self, prowl_error* err);
  /* Called once before the host stops; must not fail. */
  void (*stop)(void* self);
} prowl_agent_vtable;

/* What a plugin's entry hands back to the host. */
typedef struct prowl_plugin {
  void* self;              /* plugin-owned instance state */
  const void* vtable;      /* the vtable of the manifest's kind */
  void (*destroy)(void* self); /* releases self; may be NULL */
} prowl_plugin;

/* The entry point, exported as PROWL_ENTRY_SYMBOL. It checks host->abi_major,
 * builds the instance and fills *out. On failure it returns a non-zero
 * prowl_status with err filled, and leaves nothing to free. `host` stays
 * valid for the life of the process. */
typedef int32_t (*prowl_entry_fn)(const prowl_host_api* host, prowl_plugin* out,
                                  prowl_error* err);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PROWL_PLUGIN_H_ */
