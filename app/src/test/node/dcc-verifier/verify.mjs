// Verifies credentials with the Digital Credentials Consortium's verifier-core, the library behind
// VerifierPlus and the Learner Credential Wallet, exactly as they call it (verifyCredential, no
// options of ours: its own document loader, suites and status checker).
//
//   node verify.mjs RESULT.json CREDENTIAL.json...
//
// Writes {"<file>": result, ...} to RESULT.json (the library prints its own diagnostics on stdout).
// Test machines have no internet: OFFLINE_DOCUMENTS (JSON: URL -> local file) serves the public
// documents verifier-core fetches with the global fetch and does not bundle (the 1EdTech JSON Schema
// of its schema check), each a byte-for-byte copy of what its URL publishes. Everything else — the
// issuer's did:web document, its status lists — is fetched from the issuer over HTTPS, the test's
// CA trusted through NODE_EXTRA_CA_CERTS.
import fs from 'node:fs';

const offline = JSON.parse(process.env.OFFLINE_DOCUMENTS ?? '{}');
const networkFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input?.url ?? String(input);
  if (offline[url]) {
    return new Response(fs.readFileSync(offline[url]), { status: 200, headers: { 'content-type': 'application/json' } });
  }
  return networkFetch(input, init);
};

const { verifyCredential } = await import('@digitalcredentials/verifier-core');

const [resultFile, ...files] = process.argv.slice(2);
const results = {};
for (const file of files) {
  const credential = JSON.parse(fs.readFileSync(file, 'utf8'));
  const result = await verifyCredential({ credential, knownDIDRegistries: [] });
  delete result.credential;
  for (const error of result.errors ?? []) {
    // Error objects do not survive JSON.stringify: keep their text.
    if (error.stackTrace) {
      error.stackTrace = String(error.stackTrace?.stack ?? error.stackTrace);
    }
  }
  results[file] = result;
}
fs.writeFileSync(resultFile, JSON.stringify(results, null, 1));
