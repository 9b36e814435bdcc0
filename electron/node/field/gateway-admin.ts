/**
 * The gateways' allow-list at run time: the console's gateways.keys / gateways.reload, and SIGHUP
 * (a technician's `kill -HUP` after editing the gateways file) reloading it too. A malformed file
 * is refused with an error naming the file, and the gateways in use stay as they were; every reload,
 * done or refused, is told as an alert so the control room sees key changes.
 */
import { ContractError, gatewaysConfig, type Actor, type GatewaysReloadAnswer } from '../../../native-bridge/contract.js';
import { gatewaysReloadEvent } from '../audit/audit-events.js';
import type { GatewayAdminPort } from '../../common/ports.js';
import type { Core } from '../core.js';
import { parseYamlFile } from '../layout-files.js';
import type { FieldLink } from './field-link.js';

const names = (list: GatewaysReloadAnswer['added']) => list.map((g) => g.name).join(', ') || '—';

/** Attaches the port to the core and listens for SIGHUP; the returned function undoes both. */
export function attachGatewayAdmin(core: Core, field: FieldLink, gatewaysFile: string, log: (line: string) => void): () => void {
  const reload = (by: Actor | null): GatewaysReloadAnswer => {
    let answer: GatewaysReloadAnswer;
    try {
      answer = field.reload(parseYamlFile(gatewaysFile, gatewaysConfig));
    } catch (error) {
      const reason = (error as Error).message.slice(0, 500);
      core.audit.record(gatewaysReloadEvent(by, gatewaysFile, { refused: reason }));
      core.alerts.raise('warning', 'gateways', {
        vi: `Không nạp lại được danh sách cổng kết nối (${gatewaysFile}): ${reason}. Vẫn dùng danh sách cũ.`,
        en: `The gateway list (${gatewaysFile}) was not reloaded: ${reason}. The previous list stays in use.`,
      });
      throw new ContractError('invalid', `${gatewaysFile}: ${reason}; the gateways in use stay as they were`, 'gateways');
    }
    core.audit.record(gatewaysReloadEvent(by, gatewaysFile, answer));
    core.alerts.raise('info', 'gateways', {
      vi: `Đã nạp lại danh sách cổng kết nối: thêm ${names(answer.added)}; bỏ ${names(answer.removed)}; đổi khóa hoặc tên ${names(answer.changed)}.`,
      en: `Gateway list reloaded: added ${names(answer.added)}; removed ${names(answer.removed)}; keys or name changed ${names(answer.changed)}.`,
    });
    return answer;
  };
  const port: GatewayAdminPort = { keys: () => field.keys(), reload };
  core.attachGatewayAdmin(port);
  const onHangup = () => {
    try {
      log(`ioc-wall: SIGHUP: gateways reloaded: ${JSON.stringify(reload(null))}`);
    } catch (error) {
      log(`ioc-wall: SIGHUP: ${(error as Error).message}`); // the host goes on with the old list
    }
  };
  process.on('SIGHUP', onHangup);
  return () => {
    process.off('SIGHUP', onHangup);
    core.attachGatewayAdmin(null);
  };
}
