/** The html part's markup (falcosidekick's htmlTmpl rendered): 12 newlines of template actions, then the tables. */
export function htmlPart(
  e: { priority: string; output: string; rule: string; source: string; hostname: string },
  color: string,
  tags: string,
  time: string,
  fields: readonly (readonly [string, string])[],
  h: (s: string) => string,
): string {
  const rows = fields
    .map(
      ([k, v]) => `
        <tr>
            <td width="1" style="background-color:#858585"><span style="font-size:14px; color:#fff;"><strong>${h(k)}</strong></span></td>
            <td style="background-color:#d1d6da">${h(v)}</td>
        </tr>
    `,
    )
    .join('');
  return (
    '\n'.repeat(12) +
    `<meta http-equiv="Content-Type" content="text/html; charset=us-ascii">
<style type="text/css">
    td{font-family:arial,helvetica,sans-serif;}
</style>

<table cellpadding="3" cellspacing="0" style="font-family:arial,helvetica,sans-serif; height:2px; width:700px;">
    <tbody>
        <tr>
            <td><img src="https://raw.githubusercontent.com/cncf/artwork/master/projects/falco/horizontal/color/falco-horizontal-color.png" width="117px" height="47"></td>
            <td></td>
        </tr>
    </tbody>
</table>
<br>
<table cellpadding="3" cellspacing="0" style="font-family:arial,helvetica,sans-serif; height:2px; width:700px;">
    <tbody>
        <tr>
            <td style="background-color:${color}; width:700px; text-align:center;"><span style="font-size:12px; color:#fff;"><strong>${h(e.priority)}</strong></span></td>
        </tr>
    </tbody>
</table>
<table cellpadding="5" cellspacing="0" style="font-family:arial,helvetica,sans-serif; width:700px; font-size:13px">
    <tbody>
        <tr>
            <td style="background-color:#858585"><span style="font-size:14px;color:#fff;"><strong>Output</strong></span></td>
            <td style="background-color:#d1d6da">${h(e.output)}</td>
        </tr>
        <tr>
            <td style="background-color:#858585"><span style="font-size:14px;color:#fff;"><strong>Rule</strong></span></td>
            <td style="background-color:#d1d6da">${h(e.rule)}</td>
        </tr>
        <tr>
            <td style="background-color:#858585"><span style="font-size:14px;color:#fff;"><strong>Source</strong></span></td>
            <td style="background-color:#d1d6da">${h(e.source)}</td>
        </tr>
\t\t<tr>
            <td style="background-color:#858585"><span style="font-size:14px;color:#fff;"><strong>Hostname</strong></span></td>
            <td style="background-color:#d1d6da">${h(e.hostname)}</td>
        </tr>
        <tr>
            <td style="background-color:#858585"><span style="font-size:14px;color:#fff;"><strong>Tags</strong></span></td>
            <td style="background-color:#d1d6da">${tags}</td>
        </tr>
        <tr>
            <td style="background-color:#858585"><span style="font-size:14px;color:#fff;"><strong>Time</strong></span></td>
            <td style="background-color:#d1d6da">${h(time)}</td>
        </tr>
    </tbody>
</table>
<br>

<table cellpadding="3" cellspacing="0" style="font-family:arial,helvetica,sans-serif; height:2px; width:700px; font-size:13px">
    <tbody>
        <tr>
            <td style="background-color: #858585; width:700px; text-align:center;"><span style="font-size:12px; color:#fff;"><strong>Fields</strong></span></td>
        </tr>
    </tbody>
</table>

<table cellpadding="3" cellspacing="0" style="font-family:arial,helvetica,sans-serif; height:2px; width:700px; font-size:13px">
    <tbody>${rows}</tbody>
</table>

--4t74weu9byeSdJTM--`
  );
}
