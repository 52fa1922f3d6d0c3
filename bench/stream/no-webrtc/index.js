// No WebRTC in Node without a native module: every export is undefined, as in a browser without
// WebRTC, so simple-peer reports WEBRTC_SUPPORT = false and webtorrent uses TCP and uTP only.
export const RTCPeerConnection = undefined
export const RTCSessionDescription = undefined
export const RTCIceCandidate = undefined
export default {}
