// strings.render_template: names and limits shared by the parts
export const NAME = 'strings.render_template';

/** A failure with Go's message (`template: template:1: …`). */
export class TemplateError extends Error {}

/** Executing for longer, writing more, or nesting deeper than this is refused. */
export const MAX_STEPS = 1_000_000;
export const MAX_OUTPUT = 8 << 20;
/** Characters functions may build or scan (printf in a loop, slicing a big list again and again). */
export const MAX_WORK = 64 << 20;
export const MAX_PARENS = 1000; // Go allows 10000; JS stacks are smaller
export const MAX_NESTING = 1000;
export const MAX_TEMPLATE_DEPTH = 500;
