import { h } from './dom.js';
import { toast } from './toast.js';

const KEY = 'jambox.pin';

/**
 * A box with a PIN answers every command with an error until the page logs in. The PIN is kept for
 * this tab only, so a reconnect after a restart logs in again without asking.
 */
export function createLogin(root, socket, onLoggedIn) {
  const pin = h('input', { type: 'password', inputmode: 'numeric', autocomplete: 'current-password',
    testid: 'pin', 'aria-label': 'PIN', placeholder: 'PIN' });
  const form = h('form', { class: 'row login', hidden: true },
    pin, h('button', { type: 'submit', class: 'primary', testid: 'login', text: 'Unlock' }));
  root.append(form);

  async function login(value) {
    try {
      await socket.send({ cmd: 'login', pin: value });
    } catch (error) {
      toast(error.message);
      return false;
    }
    sessionStorage.setItem(KEY, value);
    form.hidden = true;
    return onLoggedIn();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!(await login(pin.value))) pin.select();
    pin.value = '';
  });

  return {
    /** Logs in with the remembered PIN, if any, before anything else is sent. */
    async resume() {
      const saved = sessionStorage.getItem(KEY);
      if (saved) {
        try {
          await socket.send({ cmd: 'login', pin: saved });
        } catch {
          sessionStorage.removeItem(KEY);
        }
      }
    },
    looksLikeLocked(message) {
      return /\b(pin|log ?in)\b/i.test(message);
    },
    ask() {
      form.hidden = false;
      pin.focus();
    },
  };
}
