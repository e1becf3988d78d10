// What the kubelet does to a container's command, args and env values before the program sees
// them: $(VAR) expansion, as k8s.io/kubernetes/third_party/forked/golang/expansion/expand.go
// does it, ported line for line. `$$` is a `$`; `$(NAME)` is NAME's value, or stays as it is when
// the container defines no NAME; `$` before anything else stays.
export function kubernetesExpand(input: string, vars: Readonly<Record<string, string>>): string {
  const mapping = (name: string): string => vars[name] ?? `$(${name})`;
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] === '$' && cursor + 1 < input.length) {
      out += input.slice(checkpoint, cursor);
      const { read, isVar, advance } = tryReadVariableName(input.slice(cursor + 1));
      out += isVar ? mapping(read) : read;
      cursor += advance;
      checkpoint = cursor + 1;
    }
  }
  return out + input.slice(checkpoint);
}

function tryReadVariableName(input: string): { read: string; isVar: boolean; advance: number } {
  if (input[0] === '$') return { read: '$', isVar: false, advance: 1 };
  if (input[0] === '(') {
    const close = input.indexOf(')', 1);
    if (close >= 0) return { read: input.slice(1, close), isVar: true, advance: close + 1 };
    return { read: '$(', isVar: false, advance: 1 };
  }
  return { read: `$${input[0]}`, isVar: false, advance: 1 };
}
