/* prowl/net.h: streams and request-response for plugins (ABI 2).
 *
 * Every function here is found by name (see prowl/plugin.h), takes the
 * calling plugin's context first, may be called from any thread, and
 * returns a prowl_status at once: on failure err says why and no callback
 * follows. PROWL_ERR_UNSUPPORTED: the host runs no network;
 * PROWL_ERR_CLOSED: the plugin was stopped.
 *
 * Callbacks run on the host's event loop, one at a time, never inside the
 * call that registered them, and must not block it. Every pointer a callback
 * gets is valid only during that call. A plugin's listeners, served names,
 * streams and pending requests belong to its context and end (without
 * further callbacks) when the plugin is stopped or destroyed. */
#ifndef PROWL_NET_H_
#define PROWL_NET_H_

#include <prowl/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PROWL_PEER_ID_MAX 128 /* bytes of a peer id text, including the terminator */

/* One stream, opaque. A handle is never reused; after on_close it is stale
 * and calls with it fail with PROWL_ERR_NOT_FOUND. */
typedef struct prowl_stream prowl_stream;

/* What happens on a stream. For each stream: on_open once (outbound: when
 * negotiated; inbound: when accepted), then on_data / on_finish /
 * on_writable, then on_close exactly once. A stream whose open failed gets
 * only on_close. All on the event loop. */
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

/* One inbound request, opaque; answer it with prowl_rr_respond or prowl_rr_fail. */
typedef struct prowl_rr_request prowl_rr_request;

/* Receives one inbound request from `peer`, on the event loop. It may
 * answer later, from any thread (e.g. after work on the plugin's own thread). */
typedef void (*prowl_rr_handler_fn)(void* user, prowl_rr_request* request, const char* peer, const uint8_t* data,
                                    size_t len);

/* The outcome of one outbound request: exactly one of the two is called, on
 * the event loop. */
typedef struct prowl_rr_callbacks {
  uint32_t struct_size; /* sizeof(prowl_rr_callbacks) */
  void (*on_response)(void* user, const uint8_t* data, size_t len);
  void (*on_error)(void* user, int32_t status, const char* message);
} prowl_rr_callbacks;

/* "prowl_local_peer_id": writes this node's peer id text (as
 * prowl_config_get). Returns its full length, or -1 when the host runs no
 * network. */
typedef int64_t (*prowl_local_peer_id_fn)(prowl_plugin_ctx* ctx, char* buf, size_t cap);

/* "prowl_connected_peers": writes the peer ids of the live connections into
 * out, each followed by '\n'. */
typedef int32_t (*prowl_connected_peers_fn)(prowl_plugin_ctx* ctx, prowl_writer* out, prowl_error* err);

/* "prowl_stream_listen": serves inbound streams negotiating `protocol`: each
 * accepted stream gets on_open, then its events, on callbacks (copied) with
 * `user`. A protocol is served by one plugin at most; the host's own and
 * /prowl/rr/ ids are refused. */
typedef int32_t (*prowl_stream_listen_fn)(prowl_plugin_ctx* ctx, const char* protocol,
                                          const prowl_stream_callbacks* callbacks, void* user, prowl_error* err);

/* "prowl_stream_open": opens a stream to `peer` (a peer id, or a multiaddr
 * ending in /p2p/<id> to dial when not connected) negotiating `protocol`. On
 * PROWL_OK exactly one of on_open or on_close (with the failure) follows. */
typedef int32_t (*prowl_stream_open_fn)(prowl_plugin_ctx* ctx, const char* peer, const char* protocol,
                                        const prowl_stream_callbacks* callbacks, void* user, prowl_error* err);

/* "prowl_stream_write": queues a copy of data[0, len) for the stream.
 * PROWL_ERR_LIMIT when the stream's queue would pass its limit (wait for
 * on_writable, then retry). */
typedef int32_t (*prowl_stream_write_fn)(prowl_plugin_ctx* ctx, prowl_stream* stream, const uint8_t* data,
                                         size_t len, prowl_error* err);

/* "prowl_stream_close_write": sends FIN once the queue is written; reading continues. */
typedef int32_t (*prowl_stream_close_write_fn)(prowl_plugin_ctx* ctx, prowl_stream* stream, prowl_error* err);

/* "prowl_stream_reset": aborts the stream both ways (RST); on_close(PROWL_ERR_CLOSED) follows. */
typedef int32_t (*prowl_stream_reset_fn)(prowl_plugin_ctx* ctx, prowl_stream* stream, prowl_error* err);

/* "prowl_rr_serve": serves request-response `name` ([a-z0-9][a-z0-9._-]*, at
 * most 63 bytes) on protocol /prowl/rr/1.0.0/<name>. A name is served by one
 * plugin at most. */
typedef int32_t (*prowl_rr_serve_fn)(prowl_plugin_ctx* ctx, const char* name, prowl_rr_handler_fn handler,
                                     void* user, prowl_error* err);

/* "prowl_rr_respond": answers an inbound request once (now or later).
 * PROWL_ERR_LIMIT when the response is too large (the request stays open);
 * PROWL_ERR_NOT_FOUND when it was answered already or expired. */
typedef int32_t (*prowl_rr_respond_fn)(prowl_plugin_ctx* ctx, prowl_rr_request* request, const uint8_t* data,
                                       size_t len, prowl_error* err);

/* "prowl_rr_fail": refuses an inbound request; the caller gets
 * PROWL_ERR_REMOTE with the message. */
typedef int32_t (*prowl_rr_fail_fn)(prowl_plugin_ctx* ctx, prowl_rr_request* request, int32_t status,
                                    const char* message, prowl_error* err);

/* "prowl_rr_request": sends data[0, len) to `peer` (as in prowl_stream_open)
 * for `name`. timeout_ms 0 means the host's default. On PROWL_OK exactly one
 * of on_response or on_error follows. */
typedef int32_t (*prowl_rr_request_fn)(prowl_plugin_ctx* ctx, const char* peer, const char* name,
                                       const uint8_t* data, size_t len, uint32_t timeout_ms,
                                       const prowl_rr_callbacks* callbacks, void* user, prowl_error* err);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PROWL_NET_H_ */
