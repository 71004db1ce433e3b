// The Learner Credential Wallet's side of collecting a credential, on the libraries (and version
// ranges) of learner-credential-wallet 2.1.2, following its code path by path:
//
//   node lcw.mjs deep-link URL CHALLENGE RESULT.json
//     app/lib/credentialRequest.ts requestCredential + app/lib/present.ts createVerifiablePresentation:
//     the deep link's vc_request_url gets a bare presentation, signed Ed25519Signature2020 by a new
//     did:key with the link's challenge (no domain), and answers a VC or a VP.
//   node lcw.mjs exchange URL - RESULT.json
//     app/lib/exchanges.ts handleVcApiExchangeComplete: {} to the exchange, then for a
//     DIDAuthentication query {"verifiablePresentation": …} signed with the request's challenge and
//     domain to interact.service[0].serviceEndpoint, until no request comes back.
//
// The DID is minted as app/lib/did.ts mints it. Writes {"holder", "status", "response"} to RESULT.json.
import crypto from 'node:crypto';
import fs from 'node:fs';
import * as vc from '@digitalcredentials/vc';
import * as DidMethodKey from '@digitalcredentials/did-method-key';
import { Ed25519VerificationKey2020 } from '@digitalcredentials/ed25519-verification-key-2020';
import { Ed25519Signature2020 } from '@digitalcredentials/ed25519-signature-2020';
import { securityLoader } from '@digitalcredentials/security-document-loader';

const [mode, url, challenge, resultFile] = process.argv.slice(2);
const documentLoader = securityLoader({ fetchRemoteContexts: true }).build();

const { didDocument, keyPairs } = await DidMethodKey.driver().generate({ randomBytes: crypto.randomBytes(32) });
const [verificationKey] = Array.from(keyPairs).map(([, pair]) => pair);
const key = await Ed25519VerificationKey2020.from(verificationKey);
const suite = new Ed25519Signature2020({ key });

async function post(to, body) {
  const response = await fetch(to, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    json = { text };
  }
  return { status: response.status, json };
}

let outcome;
if (mode === 'deep-link') {
  const holder = didDocument.id;
  const presentation = vc.createPresentation({ holder });
  const signed = await vc.signPresentation({ presentation, suite, challenge, documentLoader });
  outcome = { holder, presentation: signed, ...(await post(url, signed)) };
} else {
  const holder = didDocument.authentication[0].split('#')[0];
  let exchangeUrl = url;
  let request = {};
  for (let interactions = 0; ; interactions++) {
    if (interactions === 10) {
      throw new Error('Request timed out after 10 interactions');
    }
    const answer = await post(exchangeUrl, request);
    const vpr = answer.json.verifiablePresentationRequest;
    if (answer.status !== 200 || !vpr) {
      outcome = { holder, ...answer };
      break;
    }
    const queries = [].concat(vpr.query);
    const signedRequest = queries.some(q => q.type === 'DIDAuthentication' || q.type === 'DIDAuth');
    const presentation = vc.createPresentation({ holder });
    const verifiablePresentation = signedRequest
      ? await vc.signPresentation({ presentation, challenge: vpr.challenge, domain: vpr.domain, suite, documentLoader })
      : presentation;
    request = { verifiablePresentation };
    exchangeUrl = vpr.interact?.service?.[0]?.serviceEndpoint ?? exchangeUrl;
  }
}
fs.writeFileSync(resultFile, JSON.stringify(outcome, null, 1));
