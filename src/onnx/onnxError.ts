/**
 * An ONNX file pikehdl cannot take: malformed, or using an op, attribute or
 * quantization it cannot represent. The message is one line naming the node
 * (and its op) and the rule, so the CLI can print it as is (exit code 2).
 */
export class OnnxError extends Error {
  constructor(message: string) {
    // Names come from the file: escape control characters so the message stays one printable line.
    super(message.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    this.name = 'OnnxError';
  }
}

/** Describe a node for messages: `Conv "/features/0/Conv"`. */
export function nodeLabel(node: { readonly opType: string; readonly name: string }): string {
  return `${node.opType} "${node.name}"`;
}
