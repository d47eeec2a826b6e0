import type { SealCryptoConfig } from '../../../src/crypto/index.ts';

/**
 * Argon2id light enough for a fast unit suite (1 pass, 1 lane, 1 MiB). Injected through the
 * options object only; production defaults are tested separately and never changed.
 */
export const LIGHT_CRYPTO_CONFIG: SealCryptoConfig = {
  argon2: { passes: 1, parallelism: 1, memoryExponent: 10 },
};

export interface PacketLocation {
  tag: number;
  headerStart: number;
  bodyStart: number;
  bodyLength: number;
}

/**
 * Walks the top-level packets of a binary OpenPGP message (RFC 9580 §4.2, new-format headers
 * with definite lengths, which is what a sealed payload's session-key packets use), so attack
 * tests can alter exact bytes. Stops at the first packet with a partial length.
 */
export function walkPackets(bytes: Uint8Array): PacketLocation[] {
  const packets: PacketLocation[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const headerStart = offset;
    const first = bytes[offset++]!;
    if ((first & 0xc0) !== 0xc0) throw new Error('expected a new-format packet header');
    const tag = first & 0x3f;
    const lengthOctet = bytes[offset++]!;
    let bodyLength: number;
    if (lengthOctet < 192) {
      bodyLength = lengthOctet;
    } else if (lengthOctet < 224) {
      bodyLength = ((lengthOctet - 192) << 8) + bytes[offset++]! + 192;
    } else if (lengthOctet === 255) {
      bodyLength = new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0);
      offset += 4;
    } else {
      packets.push({ tag, headerStart, bodyStart: offset, bodyLength: -1 });
      break;
    }
    packets.push({ tag, headerStart, bodyStart: offset, bodyLength });
    offset += bodyLength;
  }
  return packets;
}

export const PACKET_TAG = { PKESK: 1, SKESK: 3, SEIPD: 18 } as const;
