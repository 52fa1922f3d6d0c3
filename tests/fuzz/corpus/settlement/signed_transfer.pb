
”
4"8?FMT[bi@à¤™ÿ¼1Zvr
2type.googleapis.com/protocol.TransferAssetContract<
1002000Aj1¬Ê-ðæâvè«<J	‡ÞA Yl–9ýR"˜ä£¤¿k|áø ÞšÚpôÓ•ÿ¼1AÃyrÓõà&A†( ß´•­ÛüÂïÖ
º§ì6Éˆ}Âxß`Ý&5ÿ^€!<""øˆîw•·À)òPçî'«l