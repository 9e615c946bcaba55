/*
 * The debugger websocket: connects to /ws/debugger/ on the page's own host
 * (wss: behind HTTPS), reconnects with growing delays, and reports its state.
 * The protocol itself is documented in debugger/consumers.py.
 */

const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 15000];
// Close code the server uses for a user who is not (or no longer) logged-in staff.
const CLOSE_FORBIDDEN = 4403;

export function websocketUrl(location = window.location) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return scheme + "//" + location.host + "/ws/debugger/";
}

export class LiveConnection {
  /**
   * `onFrame(frame)` gets each parsed frame; `onState(state, detail)` gets
   * "connecting", "open", "retrying" (detail: seconds until the next try),
   * "forbidden" or "closed". The server rejects a user who is not logged-in
   * staff during the handshake, which browsers report only as a failed
   * connection, so after a failed handshake `isSignedIn()` (async) decides
   * between "forbidden" and another try.
   */
  constructor({ onFrame, onState, isSignedIn = async () => true, url = websocketUrl() }) {
    this.onFrame = onFrame;
    this.onState = onState;
    this.isSignedIn = isSignedIn;
    this.url = url;
    this.socket = null;
    this.attempt = 0;
    this.timer = null;
    this.stopped = false;
    window.addEventListener("online", () => this.retryNow());
  }

  get isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  connect() {
    clearTimeout(this.timer);
    this.stopped = false;
    this.onState("connecting");
    const socket = new WebSocket(this.url);
    this.socket = socket;
    let opened = false;
    socket.addEventListener("open", () => {
      opened = true;
      this.attempt = 0;
      this.onState("open");
    });
    socket.addEventListener("message", (message) => {
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch (error) {
        console.error("Trackside: the server sent a frame that is not JSON", error);
        return;
      }
      this.onFrame(frame);
    });
    socket.addEventListener("close", (event) => this.closed(socket, event, opened));
  }

  async closed(socket, event, opened) {
    if (socket !== this.socket || this.stopped) return;
    this.socket = null;
    if (event.code === CLOSE_FORBIDDEN || (!opened && !(await this.signedInOrUnknown()))) {
      this.onState("forbidden");
      return;
    }
    const delay = RETRY_DELAYS_MS[Math.min(this.attempt, RETRY_DELAYS_MS.length - 1)];
    this.attempt += 1;
    this.onState("retrying", Math.ceil(delay / 1000));
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** Return false only when the server reports the user signed out; a failed check counts as signed in. */
  async signedInOrUnknown() {
    try {
      return await this.isSignedIn();
    } catch (error) {
      return true;
    }
  }

  retryNow() {
    if (this.socket === null && !this.stopped) this.connect();
  }

  send(frame) {
    if (!this.isOpen) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Close for good (tests and page unload); no reconnect follows. */
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.socket) this.socket.close();
    this.socket = null;
    this.onState("closed");
  }
}
