
BitTorrentBTT8Ê1002000