/** The wall window's single Deck, its canvas beneath every tile of the window. */
import { WindowDeck } from './window-deck.js';

let instance: WindowDeck | null = null;

export function wallDeck(): WindowDeck {
  if (instance) return instance;
  const layer = document.getElementById('wall-map-layer');
  if (!layer) throw new Error('the wall window has no map layer element');
  instance = new WindowDeck({ parent: layer });
  // tests lose the WebGL context on purpose and read the rebuild count
  (window as unknown as { __iocWallDeck?: WindowDeck }).__iocWallDeck = instance;
  return instance;
}
