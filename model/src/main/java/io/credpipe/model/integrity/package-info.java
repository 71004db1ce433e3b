/**
 * W3C Data Integrity with the {@code eddsa-rdfc-2022} cryptosuite (VC Data Integrity EdDSA
 * Cryptosuites v1.0 §3.3): the JSON-LD to RDF step with bundled contexts only, RDF Dataset
 * Canonicalization (RDFC-1.0, by titanium-rdfc), the hash of proof configuration and document, and
 * Ed25519 keys as Multikeys. Shared by the issuer, which signs, and the verifier, which checks, so
 * both hash exactly the same bytes.
 */
package io.credpipe.model.integrity;
