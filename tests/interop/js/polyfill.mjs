// Node 20 lacks Promise.withResolvers (Node 22+), which js-libp2p 3.x calls.
// Every script imports this module FIRST so the polyfill exists before any
// libp2p module is evaluated.
if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers () {
      let resolve
      let reject
      const promise = new this((res, rej) => {
        resolve = res
        reject = rej
      })
      return { promise, resolve, reject }
    }
  })
}

// Node 20 has no global WebSocket (Node 22+ does), which @libp2p/websockets
// uses to dial; the `ws` client implements the same API.
if (typeof globalThis.WebSocket !== 'function') {
  const { WebSocket } = await import('ws')
  globalThis.WebSocket = WebSocket
}
