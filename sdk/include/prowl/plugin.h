/* prowl/plugin.h: the core of the C ABI between the prowl host and its
 * plugins (ABI 2). The service groups have their own headers, each built on
 * this one: prowl/net.h (streams, request-response), prowl/dht.h,
 * prowl/pubsub.h and prowl/howl.h.
 *
 * The contract uses only C types, so a plugin built by any C or C++
 * compiler, against any standard library, can be loaded.
 *
 * A LIBRARY is a shared object exporting two symbols:
 *   prowl_plugin_manifest  a prowl_manifest: constant data in the ELF section
 *                          ".prowl_manifest" listing the library's plugins
 *                          (kind, name, version, description);
 *   prowl_plugin_entry     a prowl_entry_fn.
 * The host reads the manifest from the file without running any of its code
 * (`prowl plugins list` shows the plugins of a library it never loaded),
 * checks the ABI, then loads the library and calls the entry once. The entry
 * registers each plugin of the manifest with prowl_register_plugin (kind,
 * name, the kind's vtable, create/destroy). A library whose registrations do
 * not match its manifest one for one is refused as a whole.
 *
 * HOST FUNCTIONS ARE FOUND BY NAME. The entry gets get_proc; get_proc("name")
 * returns the host function of that name (cast it to the typedef name_fn),
 * or NULL when this host has no such function: the plugin can then degrade
 * (or refuse to load). A name's signature never changes; a function that
 * must change gets a new name (e.g. prowl_dht_put2), and an old name may be
 * retired by a later host (get_proc then returns NULL). Lookups are cheap
 * but not free: look a function up once (in the entry or create) and keep
 * the pointer, which stays valid for the life of the process.
 *   prowl_log_fn log = PROWL_GET_PROC(get_proc, prowl_log);
 *
 * A PLUGIN CONTEXT (prowl_plugin_ctx*) is the host's handle for one plugin:
 * create() receives it and the plugin passes it to every host call. It owns
 * everything the plugin registers with the host (listeners, served names,
 * streams, pending requests and DHT calls, subscriptions, validators, howl
 * subscriptions); stopping a role or hunt, or destroying a plugin, ends
 * exactly that plugin's registrations, without further callbacks. A context
 * stays valid (calls with it fail softly, PROWL_ERR_CLOSED, once its plugin
 * stopped) for the life of the process.
 *
 * THREADS. The host has one event loop thread; every callback it makes into
 * a plugin for an event (stream data, a request, a message, a howl, a DHT
 * result, a role's start, stop and events) runs there, one at a time,
 * never from inside the host call that registered it.
 *  - Such a callback must never block the event loop: no sleeping, no
 *    waiting on locks held for long, no blocking I/O, no long computation.
 *    Long work goes to the plugin's own thread (or, later, the host's compute
 *    executor, found by name when a host offers it); its result comes back
 *    through host calls, each of which states the threads it may be called
 *    from. Every host function in this ABI may be called from any thread
 *    unless its comment says otherwise.
 *  - Codec and codon calls are compute: the host may call one instance from
 *    several threads at once (the instance must be thread-safe) and they may
 *    take as long as the work needs, but must not wait on the network.
 *
 * OWNERSHIP. The side that allocates frees: output goes into host-owned
 * prowl_writer buffers; a plugin's state is released by its own destroy().
 * Every pointer handed to a callback is valid only during that call. No
 * exception crosses the boundary; failures are a prowl_status and a
 * NUL-terminated message in a prowl_error.
 *
 * VERSIONS. The host loads a library whose manifest's ABI major equals its
 * own and whose minor is not newer. ABI 1 libraries (one flat table of host
 * functions) are refused with a message naming the ABI they were built for:
 * rebuild them against the prowl SDK 2. Structs that may grow start with
 * struct_size; new members only ever go at their end.
 */
#ifndef PROWL_PLUGIN_H_
#define PROWL_PLUGIN_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PROWL_ABI_MAJOR 2
#define PROWL_ABI_MINOR 0

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

#define PROWL_MAX_PLUGINS 16      /* plugins in one library */
#define PROWL_NAME_MAX 64         /* bytes, including the terminator */
#define PROWL_VERSION_MAX 32      /* bytes, including the terminator */
#define PROWL_DESCRIPTION_MAX 160 /* bytes, including the terminator */
#define PROWL_ERROR_MAX 256       /* bytes, including the terminator */

#if defined(_WIN32)
#define PROWL_EXPORT __declspec(dllexport)
#else
#define PROWL_EXPORT __attribute__((visibility("default")))
#endif

/* What a plugin is. Each kind has its own vtable. A plugin of a kind the
 * host does not know makes its library refused. */
typedef enum prowl_kind {
  PROWL_KIND_ROLE = 1,  /* swarm behaviour: prowl_role_vtable */
  PROWL_KIND_HUNT = 2,  /* a hunt type: prowl_hunt_vtable */
  PROWL_KIND_CODEC = 3, /* a compression codec: prowl_codec_vtable */
  PROWL_KIND_CODON = 4  /* a genetic-codon encoder: prowl_codon_vtable */
} prowl_kind;

/* Result of every call across the boundary; the host's one status enum. */
typedef enum prowl_status {
  PROWL_OK = 0,
  PROWL_ERR_INVALID_INPUT = 1, /* the input bytes or arguments are malformed */
  PROWL_ERR_LIMIT = 2,         /* an output, size or resource limit was hit */
  PROWL_ERR_UNSUPPORTED = 3,   /* the request is valid but not supported */
  PROWL_ERR_NOT_FOUND = 4,     /* a named thing (codec, key, ...) is absent */
  PROWL_ERR_INTERNAL = 5,      /* a bug or an unexpected failure (exception) */
  PROWL_ERR_TIMEOUT = 6,       /* a deadline passed */
  PROWL_ERR_UNREACHABLE = 7,   /* the peer is not connected and could not be dialled */
  PROWL_ERR_CLOSED = 8,        /* the stream, or the plugin's services, ended */
  PROWL_ERR_REMOTE = 9         /* the remote side failed; the message carries its text */
} prowl_status;

/* A message describing a failure. The callee writes a NUL-terminated text;
 * the caller owns the storage. */
typedef struct prowl_error {
  char message[PROWL_ERROR_MAX];
} prowl_error;

/* ---- The manifest: constant data, read from the file without loading it.
 * Every text field is NUL-terminated within its array. ---- */

/* One plugin of a library. */
typedef struct prowl_manifest_plugin {
  uint32_t kind;  /* a prowl_kind */
  uint32_t flags; /* reserved, 0 */
  char name[PROWL_NAME_MAX];       /* unique in the host; [a-z0-9][a-z0-9_-]* */
  char version[PROWL_VERSION_MAX]; /* the plugin's own version, e.g. 1.2.0 */
  char description[PROWL_DESCRIPTION_MAX];
} prowl_manifest_plugin;

/* The library's manifest. Its first 16 bytes (magic and ABI version) keep
 * their place in every ABI, so any host can say what a library was built for. */
typedef struct prowl_manifest {
  char magic[8];         /* PROWL_MANIFEST_MAGIC */
  uint32_t abi_major;    /* PROWL_ABI_MAJOR the library was built with */
  uint32_t abi_minor;    /* PROWL_ABI_MINOR the library was built with */
  uint32_t plugin_count; /* 1..PROWL_MAX_PLUGINS: plugins[0, plugin_count) are used */
  uint32_t plugin_size;  /* sizeof(prowl_manifest_plugin) */
  prowl_manifest_plugin plugins[PROWL_MAX_PLUGINS]; /* unused entries are zero */
} prowl_manifest;

/* ---- Output ---- */

/* A host-owned, growable output buffer with a hard size limit. The plugin
 * asks for room, writes into it, and commits what it wrote. Used from the
 * thread of the call that handed it over, during that call only. */
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

/* ---- The entry and registration ---- */

/* The host of one library, opaque. Valid for the life of the process. */
typedef struct prowl_host prowl_host;
/* One plugin's context, opaque (see the top of this file). */
typedef struct prowl_plugin_ctx prowl_plugin_ctx;

/* Any host function, as get_proc returns it; cast it to its typedef. */
typedef void (*prowl_proc)(void);
/* Returns the host function named `name`, or NULL when this host has none.
 * Any thread. */
typedef prowl_proc (*prowl_get_proc_fn)(const char* name);

/* Looks up host function NAME (an identifier such as prowl_log) as its
 * typedef NAME##_fn. */
#define PROWL_GET_PROC(get_proc, NAME) ((NAME##_fn)(get_proc)(#NAME))

/* One plugin as the entry registers it. */
typedef struct prowl_plugin_def {
  uint32_t struct_size; /* sizeof(prowl_plugin_def) */
  uint32_t kind;        /* as in the manifest */
  const char* name;     /* as in the manifest; copied */
  const void* vtable;   /* the kind's vtable; must live as long as the library */
  /* Builds the plugin's instance into *self for `ctx` (keep ctx: it is the
   * plugin's handle for every host call). On failure returns a non-zero
   * prowl_status with err filled and leaves nothing to free. Called once,
   * inside prowl_register_plugin, on the thread that runs the entry. */
  int32_t (*create)(prowl_plugin_ctx* ctx, void** self, prowl_error* err);
  /* Releases self, after the host ended the plugin's registrations. May be
   * NULL. Called once, on the event loop (or while it is not running). */
  void (*destroy)(void* self);
} prowl_plugin_def;

/* "prowl_register_plugin": registers one plugin of the library. Only during
 * the entry, on its thread. Refused (PROWL_ERR_INVALID_INPUT, and the
 * library with it) when the manifest does not list def->name with
 * def->kind, when the name was registered already, or when the vtable is
 * incomplete; otherwise create() runs and its failure is returned. */
typedef int32_t (*prowl_register_plugin_fn)(prowl_host* host, const prowl_plugin_def* def, prowl_error* err);

/* The entry point, exported as PROWL_ENTRY_SYMBOL. Registers every plugin
 * of the manifest with prowl_register_plugin, then returns PROWL_OK. On
 * failure it returns a non-zero prowl_status with err filled (the host then
 * destroys whatever it registered). Called once per load, not on the event
 * loop; `host` and `get_proc` stay valid for the life of the process. */
typedef int32_t (*prowl_entry_fn)(prowl_host* host, prowl_get_proc_fn get_proc, prowl_error* err);

/* ---- Core host functions (by name; any thread) ---- */

/* Log levels for prowl_log. */
typedef enum prowl_log_level {
  PROWL_LOG_TRACE = 0,
  PROWL_LOG_DEBUG = 1,
  PROWL_LOG_INFO = 2,
  PROWL_LOG_WARN = 3,
  PROWL_LOG_ERROR = 4
} prowl_log_level;

/* "prowl_log": writes a log line tagged with the plugin's name. message is
 * NUL-terminated. Never fails. Any thread. */
typedef void (*prowl_log_fn)(prowl_plugin_ctx* ctx, int32_t level, const char* message);

/* "prowl_config_get": looks up the plugin's configuration value
 * "plugins.<name>.<key>" (key may hold dots for nested objects). Strings
 * come back as their text, numbers and booleans as JSON text, objects and
 * arrays as JSON. Copies at most cap-1 bytes and a terminator into buf.
 * Returns the full length of the value (which may exceed cap-1), or -1 if
 * it is not set. Any thread. */
typedef int64_t (*prowl_config_get_fn)(prowl_plugin_ctx* ctx, const char* key, char* buf, size_t cap);

/* "prowl_codec_compress": compresses with the named codec plugin, unframed
 * (the codec's raw format). Returns a prowl_status; on failure err says why.
 * Any thread (compute: runs the codec on the calling thread). */
typedef int32_t (*prowl_codec_compress_fn)(prowl_plugin_ctx* ctx, const char* codec, const uint8_t* in,
                                           size_t len, int32_t level, prowl_writer* out, prowl_error* err);

/* "prowl_codec_decompress": decompresses raw codec data that must expand to
 * exactly original_size bytes. Any thread (compute). */
typedef int32_t (*prowl_codec_decompress_fn)(prowl_plugin_ctx* ctx, const char* codec, const uint8_t* in,
                                             size_t len, size_t original_size, prowl_writer* out,
                                             prowl_error* err);

/* "prowl_codec_name": names the index-th loaded codec (0-based) into buf.
 * Returns 1 if it exists, 0 past the end. The order is stable for the
 * process lifetime. Any thread. */
typedef int32_t (*prowl_codec_name_fn)(prowl_plugin_ctx* ctx, size_t index, char* buf, size_t cap);

/* ---- The kinds' vtables ---- */

/* Codecs (PROWL_KIND_CODEC). Compute: any host thread, concurrently. */
typedef struct prowl_codec_vtable {
  uint32_t struct_size; /* sizeof(prowl_codec_vtable) */
  /* Compresses in[0, len) into out. level 0 means the codec's default.
   * Writes into used_codec (PROWL_NAME_MAX bytes) the name of the codec whose
   * format it produced: its own name, unless it delegated (like "auto"). */
  int32_t (*compress)(void* self, const uint8_t* in, size_t len, int32_t level, prowl_writer* out,
                      char* used_codec, prowl_error* err);
  /* Decompresses in[0, len), which must expand to exactly original_size
   * bytes; anything else is PROWL_ERR_INVALID_INPUT. The writer's limit is
   * original_size. */
  int32_t (*decompress)(void* self, const uint8_t* in, size_t len, size_t original_size, prowl_writer* out,
                        prowl_error* err);
} prowl_codec_vtable;

/* Genetic-codon encoders (PROWL_KIND_CODON). Compute, as codecs. */
typedef struct prowl_codon_vtable {
  uint32_t struct_size; /* sizeof(prowl_codon_vtable) */
  /* Encodes in[0, len) to a codon sequence (ASCII A, C, G, T) in out. */
  int32_t (*encode)(void* self, const uint8_t* in, size_t len, prowl_writer* out, prowl_error* err);
  /* Decodes a codon sequence; an invalid one fails with its position. */
  int32_t (*decode)(void* self, const uint8_t* in, size_t len, prowl_writer* out, prowl_error* err);
} prowl_codon_vtable;

/* What happened, as a role hears it (prowl_role_vtable.on_event). */
typedef enum prowl_role_event_type {
  PROWL_ROLE_EVENT_PEER_CONNECTED = 1,   /* the first connection to `peer` is up */
  PROWL_ROLE_EVENT_PEER_DISCONNECTED = 2 /* the last connection to `peer` closed */
} prowl_role_event_type;

/* One event. New types are added over time: a role ignores types it does
 * not know. Valid during the call only. */
typedef struct prowl_role_event {
  uint32_t struct_size; /* sizeof(prowl_role_event) as the host was built */
  uint32_t type;        /* a prowl_role_event_type */
  const char* peer;     /* the peer id text the event is about */
} prowl_role_event;

/* Roles (PROWL_KIND_ROLE): swarm behaviour. Every call is on the event loop
 * and must not block it (see THREADS above). */
typedef struct prowl_role_vtable {
  uint32_t struct_size; /* sizeof(prowl_role_vtable) */
  /* Called once after the host's services are up; register here. A failure
   * leaves the role stopped (its registrations are ended). */
  int32_t (*start)(void* self, prowl_error* err);
  /* Called once before the host stops (only after a successful start); must
   * not fail. The host ends the role's registrations right after. */
  void (*stop)(void* self);
  /* Called with each event between start and stop. May be NULL. */
  void (*on_event)(void* self, const prowl_role_event* event);
} prowl_role_vtable;

/* The four hunt types of the wolf-pack design. */
typedef enum prowl_hunt_type {
  PROWL_HUNT_DISCOVERY = 1,
  PROWL_HUNT_RESOURCE = 2,
  PROWL_HUNT_SECURITY = 3,
  PROWL_HUNT_INTELLIGENCE = 4
} prowl_hunt_type;

/* A running task's controls, valid during run(). */
typedef struct prowl_task_control {
  void* ctx; /* host state; pass back unchanged */
  /* 1 once the task was cancelled or passed its deadline: return soon (the
   * host discards the result), else 0. Cheap; poll it in long loops. */
  int32_t (*should_stop)(void* ctx);
} prowl_task_control;

/* A job's input file, read in order during plan(). Valid during plan(). */
typedef struct prowl_input {
  void* ctx;     /* host state; pass back unchanged */
  uint64_t size; /* bytes in all; 0 for a job without input */
  /* Reads up to cap bytes into buf and stores how many in *got (0: the end). */
  int32_t (*read)(void* ctx, uint8_t* buf, size_t cap, size_t* got, prowl_error* err);
} prowl_input;

/* Where plan() puts the job's tasks, in order. Valid during plan(). */
typedef struct prowl_task_sink {
  void* ctx; /* host state; pass back unchanged */
  /* Adds one task (the host copies it). A non-zero status (such as
   * PROWL_ERR_LIMIT: too many tasks) means: stop planning and return it. */
  int32_t (*emit)(void* ctx, const uint8_t* task, size_t len, prowl_error* err);
} prowl_task_sink;

/* A job's accepted results, in task order. Valid during merge(). */
typedef struct prowl_results {
  void* ctx;    /* host state; pass back unchanged */
  size_t count; /* one result per task */
  /* Points *data and *len at result `index` (< count). */
  void (*get)(void* ctx, size_t index, const uint8_t** data, size_t* len);
} prowl_results;

/* Hunts (PROWL_KIND_HUNT): a hunt type. start and stop are lifecycle calls
 * as a role's (event loop). A compute hunt also splits jobs into tasks that
 * hosts run for one another: plan, run, check and merge are compute calls,
 * made on the host's compute threads (never the event loop), concurrently
 * for one instance, which must be thread-safe; they may take as long as the
 * work needs but must not wait on the network. No code travels: a worker
 * runs a task only with the hunt its operator installed, found by name,
 * version and library hash. `params` is the job's parameters: a JSON object
 * of string values (`prowl hunt run --param K=V`), NUL-terminated. */
typedef struct prowl_hunt_vtable {
  uint32_t struct_size; /* sizeof(prowl_hunt_vtable) */
  int32_t (*start)(void* self, prowl_error* err); /* as prowl_role_vtable.start */
  void (*stop)(void* self);                       /* as prowl_role_vtable.stop */
  uint32_t type;                                  /* a prowl_hunt_type */
  /* Splits a job into tasks, emitting each in order. Reads a large input as
   * a stream; never loads it whole. NULL: the hunt runs no compute jobs
   * (then run, check and merge are NULL too). Malformed params fail with
   * PROWL_ERR_INVALID_INPUT naming the parameter. */
  int32_t (*plan)(void* self, const char* params, const prowl_input* input, const prowl_task_sink* sink,
                  prowl_error* err);
  /* Runs one task, writing its result to out (bounded by the host). Must
   * be deterministic: the same params and task give the same bytes on every
   * host, which is how results are verified. */
  int32_t (*run)(void* self, const char* params, const uint8_t* task, size_t len, const prowl_task_control* control,
                 prowl_writer* out, prowl_error* err);
  /* Optional (may be NULL): a cheap test that `result` is valid for `task`
   * (a found nonce, a decompressed chunk). With a check, one replica of a
   * task suffices. PROWL_OK when valid. */
  int32_t (*check)(void* self, const char* params, const uint8_t* task, size_t task_len, const uint8_t* result,
                   size_t result_len, prowl_error* err);
  /* Merges the accepted results, in task order, into the job's outcome. */
  int32_t (*merge)(void* self, const char* params, const prowl_results* results, prowl_writer* out,
                   prowl_error* err);
} prowl_hunt_vtable;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PROWL_PLUGIN_H_ */
