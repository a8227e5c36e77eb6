// undici, loaded at the first request (import('./undici.js')): ~50 ms of start-up that a plan never needs.
export { Agent, request } from 'undici';
