// ApiVersions v0-4. v1 throttleTimeMs; v3 flexible body + clientSoftwareName/Version (KIP-511)
// and tagged supported/finalized features; v4 only changes the client's downgrade handling.
// The RESPONSE HEADER IS ALWAYS v0 (no tagged fields), even for the flexible bodies: clients parse
// it before they know which versions we speak (connection.ts applies that rule).
// An ApiVersions request at a version above our schema is answered by connection.ts with a v0
// body: UNSUPPORTED_VERSION + our ApiVersions range (KIP-511), so clients retry at our max.
// The list is computed from the registered handlers (api-registry.ts): nothing unimplemented is
// advertised.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import { defineHandler } from '../handler.js';

export const apiVersions = defineHandler({
  apiKey: ApiKey.ApiVersions,
  minVersion: 0,
  maxVersion: 4,
  handle: (_req, ctx) => ({
    errorCode: 0,
    apiKeys: ctx.broker.apis.advertised().map((a) => ({ apiKey: a.apiKey, minVersion: a.minVersion, maxVersion: a.maxVersion })),
    throttleTimeMs: 0,
    supportedFeatures: [],
    finalizedFeaturesEpoch: -1,
    finalizedFeatures: [],
    zkMigrationReady: false,
  }),
});
