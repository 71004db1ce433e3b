// A holder's wallet built on the OpenWallet Foundation's OpenID4VCI client (@openid4vc/openid4vci),
// driven by ThirdPartyWalletIT: it takes an openid-credential-offer:// link and, if asked for, the
// transaction code, runs the pre-authorized code flow against credpipe, tells the issuer the
// credential was accepted, and prints {credential, holderJwk} as JSON on standard output.
// The library does the protocol; this script only supplies the crypto callbacks (Node's WebCrypto).
import { Openid4vciClient } from '@openid4vc/openid4vci'
import { HashAlgorithm, clientAuthenticationAnonymous } from '@openid4vc/oauth2'
import { setGlobalConfig } from '@openid4vc/utils'
import { webcrypto } from 'node:crypto'

const [offerLink, txCode] = process.argv.slice(2)
// credpipe runs on http://127.0.0.1 in the test; a real deployment is https.
setGlobalConfig({ allowInsecureUrls: true })

const subtle = webcrypto.subtle
const keyPair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])
const { kty, crv, x, y } = await subtle.exportKey('jwk', keyPair.publicKey)
const publicJwk = { kty, crv, x, y }
const b64url = (bytes) => Buffer.from(bytes).toString('base64url')

const callbacks = {
  fetch,
  clientAuthentication: clientAuthenticationAnonymous(),
  generateRandom: (length) => webcrypto.getRandomValues(new Uint8Array(length)),
  hash: async (data, alg) => {
    const name = { [HashAlgorithm.Sha256]: 'SHA-256', [HashAlgorithm.Sha384]: 'SHA-384', [HashAlgorithm.Sha512]: 'SHA-512' }[alg]
    return new Uint8Array(await subtle.digest(name, data))
  },
  // WebCrypto's ECDSA signature is r || s, which is exactly JWS's ES256 form (RFC 7518 §3.4).
  signJwt: async (signer, { header, payload }) => {
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`
    const signature = await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keyPair.privateKey, Buffer.from(input))
    return { jwt: `${input}.${b64url(new Uint8Array(signature))}`, signerJwk: publicJwk }
  },
}

const client = new Openid4vciClient({ callbacks })
const credentialOffer = await client.resolveCredentialOffer(offerLink)
const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer)
const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
  credentialOffer, issuerMetadata, txCode: txCode || undefined,
})
const credentialConfigurationId = credentialOffer.credential_configuration_ids[0]
const { c_nonce } = await client.requestNonce({ issuerMetadata })
const { jwt } = await client.createCredentialRequestJwtProof({
  issuerMetadata, credentialConfigurationId, nonce: c_nonce,
  signer: { method: 'jwk', publicJwk, alg: 'ES256' },
})
const { credentialResponse } = await client.retrieveCredentials({
  issuerMetadata, credentialConfigurationId, accessToken: accessTokenResponse.access_token, proofs: { jwt: [jwt] },
})
await client.sendNotification({
  issuerMetadata, accessToken: accessTokenResponse.access_token,
  notification: { notificationId: credentialResponse.notification_id, event: 'credential_accepted' },
})
process.stdout.write(JSON.stringify({ credential: credentialResponse.credentials[0].credential, holderJwk: publicJwk }))
