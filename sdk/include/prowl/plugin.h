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
#define PROWL_ABI_MINOR 1

#define PROWL_MANIFEST_MAGIC "PROWLPLG" /* 8 bytes, no terminator */
#define PROWL_MANIFEST_SECTION ".prowl_manifest"
#define PROWL_MANIFEST_SYMBOL "prowl_plugin_manifest"
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
  PROWL_ERR_INTERNAL = 5       /* a bug or an unexpected failure (exception) */
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
 * requests end (without further callbacks) when the plugin is destroyed. */

/* Further failures of the network services, returned like prowl_status. */
typedef enum prowl_net_status {
  PROWL_ERR_TIMEOUT = 6,     /* a deadline passed */
  PROWL_ERR_UNREACHABLE = 7, /* the peer is not connected and could not be dialled */
  PROWL_ERR_CLOSED = 8,      /* the stream was reset or its connection was lost */
  PROWL_ERR_REMOTE = 9       /* the remote handler failed; the message carries its text */
} prowl_net_status;

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
