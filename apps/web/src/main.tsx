import { ConfigProvider, App as AntApp } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

dayjs.locale('zh-cn');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider
      locale={zhCN}
      button={{ autoInsertSpace: false }}
      theme={{
        token: {
          colorPrimary: '#1f5fa8',
          // WCAG AA contrast (4.5:1) for links, help texts and secondary text on white
          colorLink: '#1f5fa8',
          colorInfo: '#1f5fa8',
          colorTextDescription: '#595959',
          colorTextSecondary: '#595959',
          colorTextTertiary: '#595959',
          colorTextPlaceholder: '#737373',
          borderRadius: 4,
          // system fonts only: the machines are offline, no web fonts
          fontFamily: '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Hiragino Sans GB", system-ui, sans-serif',
        },
      }}
    >
      <AntApp>
        <App />
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
