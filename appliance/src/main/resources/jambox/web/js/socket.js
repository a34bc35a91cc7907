// The box restarts (power, updates, a crash); the page must come back by itself without a reload.
const PROTOCOL = 1;
const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 8000;

export class BoxSocket {
  constructor(url, { onPush, onStatus, onOpen }) {
    this.url = url;
    this.onPush = onPush;
    this.onStatus = onStatus;
    this.onOpen = onOpen;
    this.nextId = 1;
    this.waiting = new Map();
    this.retryMs = FIRST_RETRY_MS;
    this.timer = null;
    this.ws = null;
    // A phone that slept has a dead socket and a long backoff; waking up should reconnect at once.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && !this.isOpen()) this.connectNow();
    });
  }

  isOpen() {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  connectNow() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) return;
    this.onStatus('connecting');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.retryMs = FIRST_RETRY_MS;
      this.onStatus('open');
      this.onOpen();
    };
    ws.onmessage = (event) => this.receive(event.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.failWaiting('the box went away');
      this.onStatus('closed');
      this.scheduleRetry();
    };
    // onclose always follows onerror; retrying there keeps one path.
    ws.onerror = () => {};
  }

  scheduleRetry() {
    const jitter = 0.75 + Math.random() * 0.5;
    this.timer = setTimeout(() => this.connectNow(), this.retryMs * jitter);
    this.retryMs = Math.min(LAST_RETRY_MS, this.retryMs * 2);
  }

  failWaiting(reason) {
    for (const { reject } of this.waiting.values()) reject(new Error(reason));
    this.waiting.clear();
  }

  receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.type === 'reply' || message.type === 'error') {
      const call = this.waiting.get(message.id);
      if (!call) return;
      this.waiting.delete(message.id);
      if (message.type === 'reply') call.resolve(message);
      else call.reject(new Error(message.error || 'the box refused that'));
      return;
    }
    this.onPush(message);
  }

  /** Sends one command; resolves with its reply, rejects with the box's error sentence. */
  send(command) {
    if (!this.isOpen()) return Promise.reject(new Error('not connected to the box'));
    const id = this.nextId++;
    const promise = new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.ws.send(JSON.stringify({ v: PROTOCOL, id, ...command }));
    return promise;
  }
}
