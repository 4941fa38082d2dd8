package netcode

// SeqNewer reports whether input sequence number or tick a is after b,
// allowing for wraparound (RFC 1982 serial number arithmetic): a is newer when
// it is less than 2^31 ahead of b. It is the protocol's one ordering of seqs
// and ticks, so that the server, the client kit and the bots share one wrap
// policy; a plain a > b disagrees with it once a counter wraps.
//
// 0 stands for "none yet" in Input.Ack, Delta.Baseline and Delta.LastSeq and
// is never a real seq: callers that keep 0 that way test it apart, since
// SeqNewer(a, 0) is false for a of 2^31 and above.
func SeqNewer(a, b uint32) bool { return int32(a-b) > 0 }
