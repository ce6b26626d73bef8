import { PROTOCOL_VERSION } from './protocol.ts';

export interface CommandIdentity {
  argv: readonly string[];
  /** the spec's `env:`: only listed variables are part of the key, the worker's own never are */
  env: Readonly<Record<string, string>>;
  /** the code hash (workers/command/code-hash.ts) */
  codeHash: string;
}

// What a command cell's key holds besides its params and seed: the same parts, whatever order the spec
// wrote them in, give the same object (keys sorted, so any canonical JSON of it is stable).
export function commandKeyParts(identity: CommandIdentity) {
  const env: Record<string, string> = {};
  for (const name of Object.keys(identity.env).sort()) env[name] = identity.env[name];
  return {
    argv: [...identity.argv],
    code_hash: identity.codeHash,
    env,
    protocol: PROTOCOL_VERSION,
  };
}
