// The worked examples of docs/lane-protocol.md, reproduced by the spec peer's own code (no
// network). Copied here from the document, not from tests/lanes/vectors/, so this checks the
// document's text against an implementation that only read it.
import { encode } from './bencode.mjs';
import { TxBuilder } from './chain.mjs';
import { proofText, iouText, signText, recoverText, laneMessage, wireAddress, hex, parseLnLanes } from './lanes.mjs';
import { decode } from './bencode.mjs';
import { utils } from 'tronweb';

const payerKey = '0000000000000000000000000000000000000000000000000000000000000001';
const payer = wireAddress('TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC');
const payee = wireAddress('TDvSsdrNM5eeXNL3czpa6AxLDHZA9nwe9K');
const range = (a, b) => Buffer.from(Array.from({ length: b - a + 1 }, (_, i) => a + i));

export function selftest(protoDir) {
    const failures = [];
    const expect = (name, got, want) => {
        if (got !== want) failures.push({ name, got, want });
    };

    expect('payer wire', hex(payer), '417e5f4552091a69125d5dfcb7b8c2659029395bdf');
    expect('payee wire', hex(payee), '412b5ad5c4795c026514f8317c7a215e218dccd6cf');

    // A request on the wire.
    const body = laneMessage({ t: 2n, lane: 'fast', max_price: 200000n });
    expect('request body', body.toString('latin1'), 'd4:lane4:fast9:max_pricei200000e1:ti2ee');
    const frame = Buffer.concat([Buffer.alloc(4), Buffer.from([20, 21]), body]);
    frame.writeUInt32BE(body.length + 2, 0);
    expect('request frame', hex(frame),
        '00000029' + '14' + '15' + '64343a6c616e65343a66617374393a6d61785f70726963656932303030303065313a7469326565');

    // Handshake entries.
    const ours = encode(new Map([['nonce', range(0, 15)], ['v', 2n]]));
    expect('downloader ln_lanes', hex(ours), hex(Buffer.concat([Buffer.from('d5:nonce16:'), range(0, 15), Buffer.from('1:vi2ee')])));
    const sellerEntry = Buffer.concat([
        Buffer.from('d5:nonce16:'), range(0x10, 0x1f),
        Buffer.from('5:offerd5:asset7:10020005:lanesd4:fastd5:pricei300000000e5:sharei600ee6:mediumd5:pricei100000000e5:sharei300ee4:slowd5:sharei100eee10:min_settlei1000000e5:payee21:'),
        payee,
        Buffer.from('9:precisioni6e6:settlei500000000e4:stepi2097152e6:windowi8388608ee1:vi2ee'),
    ]);
    const parsed = parseLnLanes(decode(sellerEntry), sellerEntry.length);
    expect('seller ln_lanes parses', parsed.error ?? 'ok', 'ok');
    expect('seller ln_lanes min_settle', String(parsed.offer?.minSettle), '1000000');
    expect('seller ln_lanes re-encodes', hex(encode(decode(sellerEntry))), hex(sellerEntry));

    // A proof.
    const proof = proofText({
        torrentId: '0123456789abcdef0123456789abcdef01234567', asset: '1002000', payee, payer,
        seederNonce: range(0, 15), payerNonce: range(0x10, 0x1f),
        seederPeerId: range(0x20, 0x33), payerPeerId: range(0x40, 0x53),
    });
    expect('proof digest', utils.message.hashMessage(proof), '0x84f015bd4e77b845c598473879fafa84501331011fc72bc86faf31671d7ecbd4');
    expect('proof sig', hex(signText(proof, payerKey)),
        'e93a5a9cf7817c8302fb1215be707fcdd4a66fba37cd0c52959c767252e83e6b52e62d4067f48c0e1062018bd720e04b16e973050be7631df844c76911246a3e1b');

    // An IOU.
    const iou = iouText({ payer, payee, asset: '1002000', amount: 123456n, seq: 7n });
    expect('iou digest', utils.message.hashMessage(iou), '0x566697d96c3e1f41ae3c4138bcc554786607f642af62bb426a2022c7de52c91d');
    const iouSig = signText(iou, payerKey);
    expect('iou sig', hex(iouSig),
        'f5eeece8978bdbdb81d778afe2a5ab6e27f51a468eb30aed7ff5a11f9f6818842482c61bc15290629db0dd0d5278e1f0d494f0d5f3acd46b06df0c2a0886d0321c');
    const v01 = Buffer.from(iouSig);
    v01[64] -= 27;
    expect('iou sig with v = 0/1 recovers', recoverText(iou, v01), 'TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC');

    // A state.
    const state = laneMessage({ t: 9n, amount: 123456n, seq: 7n, sig: iouSig, settled: 100000n });
    expect('state body', hex(state), hex(Buffer.concat([Buffer.from('d6:amounti123456e3:seqi7e7:settledi100000e3:sig65:'), iouSig, Buffer.from('1:ti9ee')])));

    // A settlement.
    expect('settle_req body', laneMessage({ t: 5n, from: 0n, to: 1500n }).toString(), 'd4:fromi0e1:ti5e2:toi1500ee');
    const builder = new TxBuilder(protoDir);
    const built = builder.build({
        asset: '1002000', payer, payee, amount: 1500n,
        block: { number: 12345678n, timestamp: 1767225600000, id: Buffer.from('0000000000bc614ea0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7', 'hex') },
        now: 1767225601234, key: payerKey,
    });
    expect('contract value', hex(built.value), '0a07313030323030301215417e5f4552091a69125d5dfcb7b8c2659029395bdf1a15412b5ad5c4795c026514f8317c7a215e218dccd6cf20dc0b');
    expect('raw_data', hex(built.raw),
        '0a02614e2208a0a1a2a3a4a5a6a740e0a4eeb6b7335a74080212700a32747970652e676f6f676c65617069732e636f6d2f70726f746f636f6c2e5472616e736665724173736574436f6e7472616374123a0a07313030323030301215417e5f4552091a69125d5dfcb7b8c2659029395bdf1a15412b5ad5c4795c026514f8317c7a215e218dccd6cf20dc0b70d2d9eab6b733');
    expect('raw_data length', built.raw.length, 146);
    expect('txid', hex(built.txid), 'e3dc30d34f7e7bbf588163269cdc847c2771c3f9eb28614185bccb820843da50');
    expect('signature (v = 28)', hex(built.signature),
        'f2887eff1b4aade5bc26e3ab22b945758d2c2843a5ced36acb0865563ae6ec65228c5bc16e8a0e8da95bd63a06812723ba781c93644ebdcf1757eadfe46e8ac91c');
    expect('signed transaction length', built.tx.length, 216);
    const settlement = laneMessage({ t: 6n, from: 0n, to: 1500n, tx: built.tx });
    expect('settlement body prefix', settlement.subarray(0, 30).toString('latin1'), 'd4:fromi0e1:ti6e2:toi1500e2:tx');
    expect('settlement body length', settlement.length, 'd4:fromi0e1:ti6e2:toi1500e2:tx216:'.length + 216 + 1);
    const receipt = laneMessage({ t: 7n, status: 'pending', to: 1500n, txid: built.txid });
    expect('receipt body', hex(receipt), hex(Buffer.concat([Buffer.from('d6:status7:pending1:ti7e2:toi1500e4:txid32:'), built.txid, Buffer.from('e')])));
    return failures;
}
