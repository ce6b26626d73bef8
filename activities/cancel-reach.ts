// Temporal tells a running activity of its cancellation only in the answer to a heartbeat, and the SDK
// sends heartbeats at most once per throttle interval (by default 0.8 heartbeat timeouts, capped at
// 60 s). With a long heartbeat timeout, cancelling a sweep would reach a running command program a
// minute late, while it holds its GPU. So the train worker's throttle is capped at this, and a batch of
// command cells heartbeats on this clock while its programs run: a cancellation reaches the program's
// process group within about twice this, whatever the heartbeat timeout (README, "Your own trainer").
export const CANCEL_REACH_MS = 1_000;
