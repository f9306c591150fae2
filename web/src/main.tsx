// Entry point: registers the views and mounts the shell.
import { render } from 'preact';
import './styles.css';
import './app/views';
import { Shell } from './app/shell';
import { startApp } from './state/lifecycle';

render(<Shell />, document.getElementById('app')!);
startApp();
